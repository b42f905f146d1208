using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Sources.Delivery;
using FlumeK8s.Runtime.Sources.Network;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Flume's <c>avro</c> source: an Avro RPC server speaking <c>AvroSourceProtocol</c> over Avro's
/// Netty framing, wire-compatible with Flume's AvroSink and RPC clients (optionally deflated,
/// optionally over TLS). Every client is served on its own task; the ip filter turns clients
/// away before a byte is read. Stopping closes the listener and every connection; a call not
/// yet answered then was not answered at all, and a client resends it.
/// </summary>
public sealed partial class AvroSource : ISource
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly AvroSourceSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestDelivery _delivery;
    private readonly AvroResponder _responder;
    private readonly IpFilter? _ipFilter;
    private X509Certificate2? _certificate;
    private TcpConnectionListener? _listener;

    public AvroSource(string name, AvroSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _time = services.Time;
        _logger = services.Logs.CreateLogger<AvroSource>();
        Counter = new SourceCounter(name, "avro");
        _delivery = new RequestDelivery(name, processor, Counter, _logger);
        _responder = new AvroResponder(_delivery);
        _ipFilter = settings.IpFilterRules.Count > 0 ? new IpFilter(settings.IpFilterRules) : null;
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The port actually bound once started (the one asked for, or the one the system chose for port 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_settings.Ssl is { } ssl)
        {
            _certificate = AvroKeyStores.LoadServerCertificate(ssl.Keystore, ssl.KeystorePassword);
        }
        var endpoint = await SourceEndpoint.ResolveAsync(_settings.Bind, _settings.Port, cancellationToken).ConfigureAwait(false);
        var listener = new TcpConnectionListener(AcceptRetryDelay, _time, e => LogAcceptFailed(_logger, Name, e.Message));
        Port = listener.Listen(endpoint, ServeAsync).Port;
        _listener = listener;
        listener.Start();
        LogListening(_logger, Name, endpoint.Address.ToString(), Port, _settings.Deflate, _certificate is not null);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.StopAsync(cancellationToken).ConfigureAwait(false);
            _listener = null;
        }
        _certificate?.Dispose();
        _certificate = null;
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        if (_ipFilter is not null && client.RemoteEndPoint is IPEndPoint remote
            && !await _ipFilter.AllowsAsync(remote.Address, cancellationToken).ConfigureAwait(false))
        {
            LogRefused(_logger, Name, remote.ToString());
            client.Dispose();
            return;
        }
        // Replies are small and awaited by the client: sending them at once beats Nagle's batching.
        client.NoDelay = true;
        await new AvroSourceConnection(client, _settings, _certificate, _responder, _delivery, Counter, _time, _logger).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Avro source {Source} listening on {Address}:{Port} (deflate: {Deflate}, TLS: {Tls})")]
    private static partial void LogListening(ILogger logger, string source, string address, int port, bool deflate, bool tls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Avro source {Source} could not accept a connection: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Avro source {Source} refused client {Remote}: denied by ipFilterRules")]
    private static partial void LogRefused(ILogger logger, string source, string remote);
}
