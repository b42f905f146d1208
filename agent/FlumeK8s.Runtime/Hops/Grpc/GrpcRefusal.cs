using Grpc.Core;

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
    /// <summary>How gRPC implementations word a message over the limit: grpc-go/C-core (and this
    /// project's first source) say "larger than max", grpc-java and grpc-dotnet "exceeds (the) maximum".</summary>
    private static readonly string[] TooLargeWordings = ["larger than max", "exceeds maximum", "exceeds the maximum"];

    public static bool IsTooLarge(RpcException refusal) =>
        refusal.StatusCode == StatusCode.ResourceExhausted
        && TooLargeWordings.Any(w => refusal.Status.Detail.Contains(w, StringComparison.OrdinalIgnoreCase));

    public static bool IsPermanent(RpcException refusal) =>
        refusal.StatusCode == StatusCode.InvalidArgument || IsTooLarge(refusal);
}
