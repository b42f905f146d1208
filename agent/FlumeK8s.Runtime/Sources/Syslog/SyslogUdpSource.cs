using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Network;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Flume's <c>syslogudp</c>: one message per datagram (a trailing line end is dropped), one
/// channel transaction per message. UDP cannot push back on its senders: a message the channel
/// refuses is lost, counted in <c>ChannelWriteFail</c> and logged.
/// </summary>
public sealed class SyslogUdpSource : ISource
{
    private readonly SyslogUdpSourceSettings _settings;
    private readonly ChannelProcessor _processor;
    private readonly SyslogParser _parser;
    private readonly ClientHostnames? _hostnames;
    private readonly ILogger _logger;
    private UdpReceiver? _receiver;

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
        UdpReceiver receiver;
        try
        {
            receiver = UdpReceiver.Bind(new IPEndPoint(address, _settings.Port));
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Syslog source {Name} cannot listen on UDP {_settings.Host}:{_settings.Port}: {e.Message}", e);
        }
        _receiver = receiver;
        LocalEndpoint = receiver.LocalEndpoint;
        SyslogLog.Listening(_logger, Name, "UDP", LocalEndpoint.ToString());
        receiver.Start(OnDatagramAsync, OnReceiveFailed);
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
        var message = WithoutLineEnd(datagram.Span);
        if (message.IsEmpty)
        {
            return;
        }
        try
        {
            await DeliverAsync(message.ToArray(), sender, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The receive loop ends on the cancelled token.
            SyslogLog.DatagramLost(_logger, Name, sender.ToString(), "the source stopped while the channel was busy");
        }
    }

    private static readonly TimeSpan ReceiveRetryDelay = TimeSpan.FromMilliseconds(100);

    private async Task OnReceiveFailed(SocketException error, CancellationToken cancellationToken)
    {
        Counter.IncrementEventReadFail();
        SyslogLog.ReadFailed(_logger, Name, "UDP", error);
        try
        {
            // A pause, so a socket error that persists does not spin the receive loop.
            await Task.Delay(ReceiveRetryDelay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the receive loop sees the token and ends.
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
