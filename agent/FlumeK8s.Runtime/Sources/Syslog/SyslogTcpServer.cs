using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// The listening half shared by <c>syslogtcp</c> and <c>multiport_syslogtcp</c>: binds every
/// configured port (all or nothing, so a port taken by someone else fails the start instead of
/// leaving a source that silently listens on fewer ports), accepts connections and runs one
/// <see cref="SyslogTcpConnection"/> per client. Stopping closes the listeners, cancels the
/// connections and waits for them.
/// </summary>
internal sealed class SyslogTcpServer(
    string sourceName,
    SyslogTcpServerOptions options,
    ChannelProcessor processor,
    SourceCounter counter,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly object _gate = new();
    private readonly HashSet<SyslogTcpConnection> _connections = [];
    private readonly List<(Socket Socket, SyslogParser Parser, IPEndPoint Endpoint)> _listeners = [];
    private CancellationTokenSource? _stop;
    private Task _accepting = Task.CompletedTask;

    public string SourceName => sourceName;

    public SyslogTcpServerOptions Options => options;

    public ChannelProcessor Processor => processor;

    public SourceCounter Counter => counter;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    public ClientHostnames? Hostnames { get; } = options.ClientHostnameHeader is null ? null : new ClientHostnames(time);

    /// <summary>The bound endpoints (a configured port 0 shows the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints => [.. _listeners.Select(l => l.Endpoint)];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = await ListenAddress.ResolveAsync(options.Host, cancellationToken).ConfigureAwait(false);
        foreach (var port in options.Ports)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(address, port.Port));
                socket.Listen();
            }
            catch (SocketException e)
            {
                socket.Dispose();
                CloseListeners();
                throw new InvalidOperationException($"Syslog source {sourceName} cannot listen on {options.Host}:{port.Port}: {e.Message}", e);
            }
            var endpoint = (IPEndPoint)socket.LocalEndPoint!;
            _listeners.Add((socket, new SyslogParser(options.KeepFields, port.Charset, time), endpoint));
            SyslogLog.Listening(logger, sourceName, "TCP", endpoint.ToString());
        }
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _accepting = Task.WhenAll(_listeners.Select(l => Task.Run(() => AcceptLoopAsync(l.Socket, l.Parser, token), CancellationToken.None)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        CloseListeners();
        await _accepting.WaitAsync(cancellationToken).ConfigureAwait(false);
        Task[] open;
        lock (_gate)
        {
            open = [.. _connections.Select(c => c.Completion)];
        }
        await Task.WhenAll(open).WaitAsync(cancellationToken).ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
    }

    public void OnClosed(SyslogTcpConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    private async Task AcceptLoopAsync(Socket listener, SyslogParser parser, CancellationToken cancellationToken)
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
                return;
            }
            catch (SocketException e)
            {
                // Typically out of file descriptors: pause instead of spinning, keep serving the open connections.
                SyslogLog.AcceptFailed(logger, sourceName, e);
                await PauseAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            var connection = new SyslogTcpConnection(this, client, parser);
            // Registered before it starts, so a stop that follows always waits for it.
            lock (_gate)
            {
                _connections.Add(connection);
            }
            connection.Start(cancellationToken);
        }
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(AcceptRetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the loop condition ends the accept loop.
        }
    }

    private void CloseListeners()
    {
        foreach (var (socket, _, _) in _listeners)
        {
            socket.Dispose();
        }
    }
}
