using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Metrics;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Calls AppendBatch on Grpc.Net.Client: one <see cref="GrpcChannel"/> (one HTTP/2 connection) per
/// endpoint, so the sink's balancer chooses the receiver of every batch; a channel is made on first
/// use and dropped when its endpoint leaves the set. A channel's address names the service (the
/// :authority and the TLS name) while its connections dial the endpoint's address, as DNS
/// discovery needs. A call that does not end with OK throws <see cref="RpcException"/>, whatever
/// failed: the connection, the deadline (request-timeout), or the receiver.
/// The client certificate is a channel's (its chain from the PEM file is sent along, which a
/// certificate chosen per handshake would lose); each new connection checks the files, and a
/// changed certificate replaces the endpoint's channel and the call goes on the new one, so new
/// connections use the new files while an open connection keeps the one it started with.
/// </summary>
internal sealed class HopClient : IDisposable
{
    private const int MaxAckBytes = 1024 * 1024;

    // Lazy: two batches in flight asking for a new endpoint at once open one channel, not two.
    private readonly ConcurrentDictionary<HopEndpoint, Lazy<GrpcChannel>> _channels = new();
    private readonly GrpcSinkSettings _settings;
    private readonly SinkCounter _counter;
    private readonly Metadata _headers;
    private readonly ReloadingPemFiles<X509Certificate2Collection>? _authorities;
    private readonly ReloadingPemFiles<SslStreamCertificateContext>? _identity;

    public HopClient(GrpcSinkSettings settings, SinkCounter counter, ILogger logger)
    {
        _settings = settings;
        _counter = counter;
        // grpc-dotnet's way to ask for a compressed request: it strips this header and compresses with its gzip.
        _headers = settings.Gzip ? new Metadata { { "grpc-internal-encoding-request", "gzip" } } : new Metadata();
        if (settings.Tls?.TrustedCaFile is { } caFile)
        {
            _authorities = new("receivers' CA", [caFile], () => PemCertificates.LoadAuthorities(caFile), logger);
            _ = _authorities.Current;
        }
        if (settings.Tls is { CertificateFile: { } certificateFile, KeyFile: { } keyFile })
        {
            _identity = new("client certificate", [certificateFile, keyFile], () => PemCertificates.LoadContext(certificateFile, keyFile), logger);
            _ = _identity.Current;
        }
    }

    public async Task AppendBatchAsync(HopEndpoint endpoint, IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        var channel = _channels.GetOrAdd(endpoint, static (e, self) => new Lazy<GrpcChannel>(() => self.Open(e)), this);
        try
        {
            await CallAsync(channel.Value, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (ClientCertificateChanged.Caused(e))
        {
            var fresh = new Lazy<GrpcChannel>(() => Open(endpoint));
            if (_channels.TryUpdate(endpoint, fresh, channel))
            {
                // Its only connection was the one refused, so no call of its is under way; a batch
                // that picked it up just now fails as on any closed channel and goes elsewhere.
                channel.Value.Dispose();
            }
            await CallAsync(_channels.GetOrAdd(endpoint, fresh).Value, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CallAsync(GrpcChannel channel, IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        var options = new CallOptions(_headers, DateTime.UtcNow + _settings.RequestTimeout, cancellationToken);
        using var call = channel.CreateCallInvoker().AsyncUnaryCall(HopMethods.Send, null, options, batch);
        try
        {
            await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // The sink is stopping: not a failure of the endpoint.
            throw new OperationCanceledException("the call was cancelled", e, cancellationToken);
        }
    }

    /// <summary>Closes the channels of endpoints no longer in the set (their calls in flight fail and are retried elsewhere).</summary>
    public void Retain(IReadOnlyList<HopEndpoint> endpoints)
    {
        var keep = endpoints.ToHashSet();
        foreach (var endpoint in _channels.Keys.Where(e => !keep.Contains(e)))
        {
            if (_channels.TryRemove(endpoint, out var channel) && channel.IsValueCreated)
            {
                channel.Value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        Retain([]);
    }

    private GrpcChannel Open(HopEndpoint endpoint)
    {
        var tls = _settings.Tls is not null;
        var identity = _identity?.Current;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _settings.ConnectTimeout,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            ConnectCallback = (_, cancellationToken) => ConnectAsync(endpoint, identity, cancellationToken),
        };
        if (tls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = _authorities is null
                    ? null
                    : (_, certificate, chain, errors) => PemCertificates.IsTrusted(certificate, chain, errors, _authorities.Current, PemCertificates.ServerAuthentication),
                ClientCertificateContext = identity,
            };
        }
        var address = new UriBuilder(tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, endpoint.ServerName, endpoint.Port).Uri;
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxAckBytes,
            MaxSendMessageSize = null,
            CompressionProviders = [new LeveledGzipProvider(_settings.CompressionLevel)],
        });
    }

    private async ValueTask<Stream> ConnectAsync(HopEndpoint endpoint, SslStreamCertificateContext? identity, CancellationToken cancellationToken)
    {
        if (identity is not null && !ReferenceEquals(identity, _identity!.Current))
        {
            throw new ClientCertificateChanged();
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(endpoint.Host, endpoint.Port), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _counter.IncrementConnectionFailed();
            socket.Dispose();
            throw;
        }
        _counter.IncrementConnectionCreated();
        return new CountingNetworkStream(socket, _counter.IncrementConnectionClosed);
    }
}
