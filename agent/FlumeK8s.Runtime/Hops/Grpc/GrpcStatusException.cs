namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>A call ended with a gRPC status other than OK, or a request must be answered with one.</summary>
public sealed class GrpcStatusException(GrpcStatusCode status, string detail, Exception? inner = null)
    : Exception($"gRPC status {status}: {detail}", inner)
{
    public GrpcStatusCode Status { get; } = status;

    public string Detail { get; } = detail;
}
