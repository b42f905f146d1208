using Grpc.Core;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Thrown instead of connecting when the client certificate's files changed since the endpoint's
/// channel was made: a channel's TLS options are fixed, so a new channel must make the connection.
/// </summary>
internal sealed class ClientCertificateChanged() : Exception("the client certificate changed on disk; the endpoint's channel is replaced")
{
    /// <summary>Whether a failed call failed because its connection was refused for this reason.</summary>
    public static bool Caused(RpcException failure)
    {
        for (Exception? e = failure.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is ClientCertificateChanged)
            {
                return true;
            }
        }
        return false;
    }
}
