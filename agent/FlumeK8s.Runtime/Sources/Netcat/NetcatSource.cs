using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Netcat;

/// <summary>
/// Listens on TCP and turns every line a client sends into an event (Flume's <c>netcat</c>). Any
/// number of clients may be connected; each is served on its own task. Stopping closes the
/// listener and every connection; a line not yet acknowledged then was not acknowledged at all.
/// </summary>
public sealed partial class NetcatSource : ISource
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly NetcatSourceSettings _settings;
    private readonly ChannelProcessor _processor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NetcatReplies _replies;
    private readonly ConcurrentDictionary<NetcatConnection, byte> _connections = new();
    private Socket? _listener;
    private CancellationTokenSource? _stop;
    private Task _accepting = Task.CompletedTask;

    public NetcatSource(string name, NetcatSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _processor = processor;
        _time = services.Time;
        _logger = services.Logs.CreateLogger<NetcatSource>();
        _replies = new NetcatReplies(settings.MaxLineLength, settings.Encoding);
        Counter = new SourceCounter(name, "netcat");
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The port actually bound once started (the one asked for, or the one the system chose for port 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = await SourceEndpoint.ResolveAsync(_settings.Bind, _settings.Port, cancellationToken).ConfigureAwait(false);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen();
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _accepting = Task.Run(() => AcceptAsync(listener, token), CancellationToken.None);
        LogListening(_logger, Name, endpoint.Address.ToString(), Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _accepting.WaitAsync(cancellationToken).ConfigureAwait(false);
        // The accept loop has ended, so no connection can be added after this snapshot.
        await Task.WhenAll(_connections.Keys.Select(c => c.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
        _listener = null;
    }

    private async Task AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: cancelled, or the listener was closed under the pending accept.
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors and the like: keep listening, but do not spin.
                LogAcceptFailed(_logger, Name, e.Message);
                if (!await DelayAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
                continue;
            }
            // Replies are small and awaited by the client: sending them at once beats Nagle's batching.
            client.NoDelay = true;
            var connection = new NetcatConnection(client, _settings, _replies, _processor, Counter, _logger);
            _connections.TryAdd(connection, 0);
            connection.Start(c => _connections.TryRemove(c, out _), cancellationToken);
        }
    }

    private async Task<bool> DelayAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(AcceptRetryDelay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Netcat source {Source} listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string source, string address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Netcat source {Source} could not accept a connection: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string source, string reason);
}
