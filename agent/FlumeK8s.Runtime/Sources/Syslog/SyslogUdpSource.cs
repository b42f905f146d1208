using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Flume's <c>syslogudp</c>: one message per datagram (a trailing line end is dropped), one
/// channel transaction per message. UDP cannot push back on its senders: a message the channel
/// refuses is lost, counted in <c>ChannelWriteFail</c> and logged.
/// </summary>
public sealed class SyslogUdpSource : ISource
{
    // Larger than any UDP payload, so a datagram is never cut.
    private const int MaxDatagramBytes = 65536;
    private readonly SyslogUdpSourceSettings _settings;
    private readonly ChannelProcessor _processor;
    private readonly SyslogParser _parser;
    private readonly ClientHostnames? _hostnames;
    private readonly ILogger _logger;
    private Socket? _socket;
    private CancellationTokenSource? _stop;
    private Task _receiving = Task.CompletedTask;

    public SyslogUdpSource(string name, SyslogUdpSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _processor = processor;
        _parser = new SyslogParser(settings.KeepFields, Encoding.UTF8, services.Time);
        _hostnames = settings.ClientHostnameHeader is null ? null : new ClientHostnames(services.Time);
        _logger = services.Logs.CreateLogger<SyslogUdpSource>();
        Counter = new SourceCounter(name, "syslogudp");
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>Where the source listens once started; a configured port 0 shows the port chosen.</summary>
    public IPEndPoint? LocalEndpoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = await ListenAddress.ResolveAsync(_settings.Host, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, _settings.Port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"Syslog source {Name} cannot listen on UDP {_settings.Host}:{_settings.Port}: {e.Message}", e);
        }
        _socket = socket;
        LocalEndpoint = (IPEndPoint)socket.LocalEndPoint!;
        SyslogLog.Listening(_logger, Name, "UDP", LocalEndpoint.ToString());
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _receiving = Task.Run(() => ReceiveLoopAsync(socket, token), CancellationToken.None);
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
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagramBytes];
        EndPoint anySender = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anySender, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException e)
            {
                Counter.IncrementEventReadFail();
                SyslogLog.ReadFailed(_logger, Name, "UDP", e);
                continue;
            }
            var message = WithoutLineEnd(buffer.AsSpan(0, received.ReceivedBytes));
            if (message.IsEmpty)
            {
                continue;
            }
            try
            {
                await DeliverAsync(message.ToArray(), (IPEndPoint)received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                SyslogLog.DatagramLost(_logger, Name, received.RemoteEndPoint.ToString() ?? "UDP", "the source stopped while the channel was busy");
                return;
            }
        }
    }

    private async Task DeliverAsync(byte[] message, IPEndPoint sender, CancellationToken cancellationToken)
    {
        var @event = _parser.Parse(message, truncated: false);
        var client = sender.ToString();
        if (@event.GetHeader(SyslogHeaders.Status) is { } status)
        {
            SyslogLog.MarkedMessage(_logger, Name, client, status);
        }
        if (_settings.ClientIpHeader is { } ipHeader)
        {
            @event.Headers[ipHeader] = ClientHostnames.Ip(sender.Address);
        }
        if (_settings.ClientHostnameHeader is { } hostHeader && _hostnames is not null)
        {
            @event.Headers[hostHeader] = await _hostnames.LookupAsync(sender.Address, cancellationToken).ConfigureAwait(false);
        }
        Counter.AddEventsReceived(1);
        try
        {
            await _processor.ProcessEventAsync(@event, cancellationToken).ConfigureAwait(false);
            Counter.AddEventsAccepted(1);
        }
        catch (ChannelException e)
        {
            Counter.IncrementChannelWriteFail();
            SyslogLog.DatagramLost(_logger, Name, client, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Counter.IncrementGenericProcessingFail();
            SyslogLog.DatagramFailed(_logger, Name, client, e);
        }
    }

    private static ReadOnlySpan<byte> WithoutLineEnd(ReadOnlySpan<byte> datagram)
    {
        if (datagram.EndsWith((byte)'\n'))
        {
            datagram = datagram[..^1];
        }
        return datagram.EndsWith((byte)'\r') ? datagram[..^1] : datagram;
    }
}
