using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
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
    // The largest UDP payload; a smaller buffer would truncate datagrams.
    private const int MaxDatagram = 65536;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly NetcatUdpSourceSettings _settings;
    private readonly ChannelProcessor _processor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<Event> _batch = new(1);
    private Socket? _socket;
    private CancellationTokenSource? _stop;
    private Task _receiving = Task.CompletedTask;

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
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _receiving = Task.Run(() => ReceiveAsync(socket, endpoint.AddressFamily, token), CancellationToken.None);
        LogListening(_logger, Name, endpoint.Address.ToString(), Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        await _receiving.WaitAsync(cancellationToken).ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
        _socket = null;
    }

    private async Task ReceiveAsync(Socket socket, AddressFamily family, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        EndPoint anySender = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anySender, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                LogReceiveFailed(_logger, Name, e.Message);
                if (!await DelayAsync(FirstRetryDelay, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
                continue;
            }
            var @event = new Event(Body(buffer.AsSpan(0, received.ReceivedBytes)));
            if (_settings.RemoteAddressHeader is { } header)
            {
                // Flume writes Java's InetSocketAddress.toString(): a slash, then address:port.
                @event.Headers[header] = "/" + received.RemoteEndPoint;
            }
            Counter.AddEventsReceived(1);
            if (!await DeliverAsync(@event, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Writes the event, waiting out a full channel; false only when the source is stopping.</summary>
    private async Task<bool> DeliverAsync(Event @event, CancellationToken cancellationToken)
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
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (ChannelException e)
            {
                Counter.IncrementChannelWriteFail();
                LogChannelRefused(_logger, Name, delay.TotalMilliseconds, e.Message);
            }
            if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
            {
                return false;
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
