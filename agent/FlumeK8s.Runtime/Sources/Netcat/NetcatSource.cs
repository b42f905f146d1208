using System.Net.Sockets;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Network;
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
    private TcpConnectionListener? _listener;

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
        var listener = new TcpConnectionListener(AcceptRetryDelay, _time, e => LogAcceptFailed(_logger, Name, e.Message));
        Port = listener.Listen(endpoint, ServeAsync).Port;
        _listener = listener;
        listener.Start();
        LogListening(_logger, Name, endpoint.Address.ToString(), Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
        {
            return;
        }
        await _listener.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener = null;
    }

    private Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        // Replies are small and awaited by the client: sending them at once beats Nagle's batching.
        client.NoDelay = true;
        return new NetcatConnection(client, _settings, _replies, _processor, Counter, _logger).RunAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Netcat source {Source} listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string source, string address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Netcat source {Source} could not accept a connection: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string source, string reason);
}
