using System.Net.Sockets;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>A connection's stream that reports, once, when HttpClient closes it (for ConnectionClosedCount).</summary>
internal sealed class CountingNetworkStream(Socket socket, Action onClosed) : NetworkStream(socket, ownsSocket: true)
{
    private int _closed;

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            onClosed();
        }
        base.Dispose(disposing);
    }
}
