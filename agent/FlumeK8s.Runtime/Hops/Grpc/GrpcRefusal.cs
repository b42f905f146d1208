namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Which refusals of a batch no retry can cure. Most statuses describe the receiver or the path
/// to it (down, full, slow, misconfigured), so another endpoint or a later attempt may succeed.
/// Two describe the batch itself, and every receiver would answer them the same way: a malformed
/// request (INVALID_ARGUMENT) and a message over the receiver's size limit (RESOURCE_EXHAUSTED with
/// gRPC's "larger than max" wording, which a full channel's RESOURCE_EXHAUSTED does not use).
/// </summary>
internal static class GrpcRefusal
{
    /// <summary>How gRPC implementations word a message over the limit: this project's source and
    /// grpc-go/C-core say "larger than max", grpc-java and grpc-dotnet "exceeds (the) maximum".</summary>
    private static readonly string[] TooLargeWordings = ["larger than max", "exceeds maximum", "exceeds the maximum"];

    public static bool IsTooLarge(GrpcStatusException refusal) =>
        refusal.Status == GrpcStatusCode.ResourceExhausted
        && TooLargeWordings.Any(w => refusal.Detail.Contains(w, StringComparison.OrdinalIgnoreCase));

    public static bool IsPermanent(GrpcStatusException refusal) =>
        refusal.Status == GrpcStatusCode.InvalidArgument || IsTooLarge(refusal);
}
