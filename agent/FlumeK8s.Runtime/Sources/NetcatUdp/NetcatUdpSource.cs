using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Network;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.NetcatUdp;

/// <summary>
/// Receives UDP datagrams; each datagram is one event, without its trailing newline (Flume's
/// <c>netcatudp</c>; Flume also cuts the datagram at its first newline and drops the rest, this
/// source keeps it). UDP cannot tell a sender to slow down, so when the channel is full the event
/// is retried with growing waits instead of dropped: the socket's receive buffer absorbs the burst.
/// </summary>
public sealed partial class NetcatUdpSource : ISource
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly NetcatUdpSourceSettings _settings;
    private readonly ChannelProcessor _processor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<Event> _batch = new(1);
    private UdpReceiver? _receiver;

    public NetcatUdpSource(string name, NetcatUdpSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _processor = processor;
        _time = services.Time;
        _logger = services.Logs.CreateLogger<NetcatUdpSource>();
        Counter = new SourceCounter(name, "netcatudp");
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The port actually bound once started (the one asked for, or the one the system chose for port 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = await SourceEndpoint.ResolveAsync(_settings.Bind, _settings.Port, cancellationToken).ConfigureAwait(false);
        var receiver = UdpReceiver.Bind(endpoint);
        _receiver = receiver;
        Port = receiver.LocalEndpoint.Port;
        receiver.Start(OnDatagramAsync, OnReceiveFailedAsync);
        LogListening(_logger, Name, endpoint.Address.ToString(), Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_receiver is null)
        {
            return;
        }
        await _receiver.StopAsync(cancellationToken).ConfigureAwait(false);
        _receiver = null;
    }

    private async Task OnDatagramAsync(ReadOnlyMemory<byte> datagram, IPEndPoint sender, CancellationToken cancellationToken)
    {
        var @event = new Event(Body(datagram.Span));
        if (_settings.RemoteAddressHeader is { } header)
        {
            // Flume writes Java's InetSocketAddress.toString(): a slash, then address:port.
            @event.Headers[header] = "/" + sender;
        }
        Counter.AddEventsReceived(1);
        await DeliverAsync(@event, cancellationToken).ConfigureAwait(false);
    }

    private async Task OnReceiveFailedAsync(SocketException error, CancellationToken cancellationToken)
    {
        LogReceiveFailed(_logger, Name, error.Message);
        // A stop during the pause ends the receive loop, which checks the token.
        await DelayAsync(FirstRetryDelay, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the event, waiting out a full channel; returns early only when the source is stopping.</summary>
    private async Task DeliverAsync(Event @event, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            _batch.Clear();
            _batch.Add(@event);
            try
            {
                await _processor.ProcessBatchAsync(_batch, cancellationToken).ConfigureAwait(false);
                Counter.AddEventsAccepted(1);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ChannelException e)
            {
                Counter.IncrementChannelWriteFail();
                LogChannelRefused(_logger, Name, delay.TotalMilliseconds, e.Message);
            }
            if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static byte[] Body(ReadOnlySpan<byte> datagram)
    {
        if (datagram.EndsWith((byte)'\n'))
        {
            datagram = datagram[..^1];
            if (datagram.EndsWith((byte)'\r'))
            {
                datagram = datagram[..^1];
            }
        }
        return datagram.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Netcat UDP source {Source} listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string source, string address, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Netcat UDP source {Source} failed to receive: {Reason}")]
    private static partial void LogReceiveFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel refused an event from netcat UDP source {Source}; retrying in {DelayMs} ms: {Reason}")]
    private static partial void LogChannelRefused(ILogger logger, string source, double delayMs, string reason);
}
