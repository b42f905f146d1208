using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Runners;

namespace FlumeK8s.Runtime.Sources.Network;

/// <summary>
/// The listening half of the TCP sources: one or more listening sockets, an accept loop for each,
/// and every accepted client served on its own task. It keeps the tasks of the open connections
/// so that a stop (close the sockets, end the accept loops) returns only once every connection
/// has closed too. A failed accept (typically out of file descriptors) is reported and retried
/// after a pause instead of spinning, and the open connections keep being served.
/// </summary>
internal sealed class TcpConnectionListener(TimeSpan acceptRetryDelay, TimeProvider time, Action<SocketException> onAcceptFailed)
{
    private readonly List<(Socket Socket, IPEndPoint Endpoint, Func<Socket, CancellationToken, Task> Serve)> _listeners = [];
    private readonly object _gate = new();
    private readonly HashSet<Task> _connections = [];
    private readonly BackgroundWork _work = new();

    /// <summary>The bound endpoints in the order they were added (a requested port 0 shows the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints => [.. _listeners.Select(l => l.Endpoint)];

    /// <summary>Binds and listens on <paramref name="endpoint"/>; its clients are accepted once started.</summary>
    /// <param name="serve">Serves one client until it closes; it owns the socket.</param>
    /// <exception cref="SocketException">The endpoint cannot be bound; this socket is closed, the ones bound earlier stay open.</exception>
    public IPEndPoint Listen(IPEndPoint endpoint, Func<Socket, CancellationToken, Task> serve)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen();
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        // Kept apart from the socket: a closed socket no longer answers where it was bound.
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        _listeners.Add((socket, bound, serve));
        return bound;
    }

    public void Start() => _work.Start(RunAsync);

    /// <summary>Closes the listening sockets, cancels the connections and waits for them all.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _work.StopAsync(CloseListeners, cancellationToken);

    /// <summary>Closes the listening sockets without waiting for anything (a start that failed half way).</summary>
    public void CloseListeners()
    {
        foreach (var (socket, _, _) in _listeners)
        {
            socket.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_listeners.Select(l => Task.Run(() => AcceptLoopAsync(l.Socket, l.Serve, cancellationToken), CancellationToken.None))).ConfigureAwait(false);
        // The accept loops have ended, so no connection can be added after this snapshot.
        Task[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }
        await Task.WhenAll(open).ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(Socket listener, Func<Socket, CancellationToken, Task> serve, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopping: cancelled, or the listener was closed under the pending accept.
                return;
            }
            catch (SocketException e)
            {
                onAcceptFailed(e);
                await PauseAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            Track(Task.Run(() => serve(client, cancellationToken), CancellationToken.None));
        }
    }

    // Added by the accept loop itself, before the loop can end, so a stop always waits for it;
    // removed when it completes, so a long-lived source does not keep every closed connection.
    private void Track(Task connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
        }
        _ = connection.ContinueWith(
            closed =>
            {
                lock (_gate)
                {
                    _connections.Remove(closed);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(acceptRetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the loop condition ends the accept loop.
        }
    }
}
