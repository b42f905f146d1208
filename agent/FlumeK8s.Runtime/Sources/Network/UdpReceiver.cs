using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Runners;

namespace FlumeK8s.Runtime.Sources.Network;

/// <summary>
/// A bound UDP socket and the loop that receives its datagrams one at a time, shared by the UDP
/// sources. The next datagram is received only after the handler of the last one has finished,
/// so a handler that waits for a busy channel leaves later datagrams in the socket's receive
/// buffer, and the one receive buffer is reused for every datagram.
/// </summary>
internal sealed class UdpReceiver
{
    // The largest UDP payload; a smaller buffer would truncate datagrams.
    private const int MaxDatagramBytes = 65536;

    private readonly Socket _socket;
    private readonly BackgroundWork _work = new();

    private UdpReceiver(Socket socket)
    {
        _socket = socket;
        LocalEndpoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Where the socket is bound (a requested port 0 shows the port the system chose).</summary>
    public IPEndPoint LocalEndpoint { get; }

    /// <exception cref="SocketException">The endpoint cannot be bound; nothing is left open.</exception>
    public static UdpReceiver Bind(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new UdpReceiver(socket);
    }

    /// <param name="onDatagram">
    /// Handles one datagram; the bytes are valid only until it returns. Stopping is its own
    /// business: it returns when the token is cancelled, and the loop then ends.
    /// </param>
    /// <param name="onReceiveFailed">Reports a failed receive (and may pause) before the loop receives again.</param>
    public void Start(
        Func<ReadOnlyMemory<byte>, IPEndPoint, CancellationToken, Task> onDatagram,
        Func<SocketException, CancellationToken, Task> onReceiveFailed) =>
        _work.Start(token => ReceiveAsync(onDatagram, onReceiveFailed, token));

    /// <summary>Ends the receive loop and closes the socket.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _work.StopAsync(_socket.Dispose, cancellationToken);

    private async Task ReceiveAsync(
        Func<ReadOnlyMemory<byte>, IPEndPoint, CancellationToken, Task> onDatagram,
        Func<SocketException, CancellationToken, Task> onReceiveFailed,
        CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagramBytes);
        EndPoint anySender = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, anySender, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopping: cancelled, or the socket was closed under the pending receive.
                return;
            }
            catch (SocketException e)
            {
                await onReceiveFailed(e, cancellationToken).ConfigureAwait(false);
                continue;
            }
            await onDatagram(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
        }
    }
}
