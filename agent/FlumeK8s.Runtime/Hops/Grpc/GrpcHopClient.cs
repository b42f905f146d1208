using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Calls AppendBatch over HttpClient: HTTP/2 only (h2c with prior knowledge in plain text, ALPN h2
/// with TLS), one pooled connection per endpoint. A call that does not end with grpc-status 0 throws
/// <see cref="GrpcStatusException"/>, whatever failed: the connection, the deadline, or the receiver.
/// </summary>
internal sealed class GrpcHopClient : IDisposable
{
    private const int MaxResponseBytes = 1024 * 1024;

    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    private readonly HttpClient _http;
    private readonly GrpcSinkSettings _settings;
    private readonly TimeProvider _time;
    private readonly bool _tls;

    public GrpcHopClient(GrpcSinkSettings settings, SinkCounter counter, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _tls = settings.Tls is not null;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.ConnectTimeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, counter, cancellationToken),
        };
        if (settings.Tls is { } tls)
        {
            handler.SslOptions = ClientAuthentication(tls);
        }
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task AppendBatchAsync(HopEndpoint endpoint, byte[] frame, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_settings.RequestTimeout, _time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var request = CreateRequest(endpoint, frame);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, call.Token).ConfigureAwait(false);
            await ReadStatusAsync(response, call.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GrpcStatusException(GrpcStatusCode.DeadlineExceeded, $"no answer from {endpoint} within request-timeout ({_settings.RequestTimeout.TotalMilliseconds} ms)", e);
        }
        catch (HttpRequestException e)
        {
            throw new GrpcStatusException(GrpcStatusCode.Unavailable, $"{endpoint}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new GrpcStatusException(GrpcStatusCode.Unavailable, $"{endpoint}: {e.Message}", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage CreateRequest(HopEndpoint endpoint, byte[] frame)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.ToUri(_tls), GrpcProtocol.AppendBatchPath))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = GrpcContentType;
        var headers = request.Headers;
        headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (endpoint.ServerName != endpoint.Host)
        {
            // Dial the address, but name the service: this Host is the :authority and the TLS name.
            headers.Host = $"{endpoint.ServerName}:{endpoint.Port}";
        }
        headers.TryAddWithoutValidation("user-agent", "grpc-flumek8s/1.0");
        headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(_settings.RequestTimeout));
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (_settings.Gzip)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.Gzip);
        }
        return request;
    }

    private static async Task ReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var fromHeaders = StatusIn(response.Headers);
            throw new GrpcStatusException(
                fromHeaders?.Code is { } code and not GrpcStatusCode.Ok ? code : GrpcProtocol.FromHttpStatus((int)response.StatusCode),
                $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}" + (fromHeaders is { } s ? ": " + s.Message : ""));
        }
        if (StatusIn(response.Headers) is { } trailersOnly)
        {
            ThrowUnlessOk(trailersOnly);
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.ToString()))
        {
            throw new GrpcStatusException(GrpcStatusCode.Unknown, $"the response is not gRPC (content type '{response.Content.Headers.ContentType}')");
        }
        var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.FirstOrDefault() : null;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            // The Ack carries nothing the sender needs, but it must be a well-formed message.
            while (await GrpcFrame.ReadAsync(body, encoding, MaxResponseBytes, lease: null, cancellationToken).ConfigureAwait(false) is not null)
            {
            }
        }
        var status = StatusIn(response.TrailingHeaders)
            ?? throw new GrpcStatusException(GrpcStatusCode.Internal, "the response ended without a grpc-status trailer");
        ThrowUnlessOk(status);
    }

    private static (GrpcStatusCode Code, string Message)? StatusIn(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var values))
        {
            return null;
        }
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? GrpcProtocol.DecodeMessage(messages.FirstOrDefault()) : "";
        return int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? ((GrpcStatusCode)code, message)
            : (GrpcStatusCode.Unknown, $"unreadable grpc-status '{values.FirstOrDefault()}' {message}");
    }

    private static void ThrowUnlessOk((GrpcStatusCode Code, string Message) status)
    {
        if (status.Code != GrpcStatusCode.Ok)
        {
            throw new GrpcStatusException(status.Code, status.Message);
        }
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, SinkCounter counter, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            counter.IncrementConnectionFailed();
            socket.Dispose();
            throw;
        }
        counter.IncrementConnectionCreated();
        return new CountingNetworkStream(socket, counter.IncrementConnectionClosed);
    }

    private static SslClientAuthenticationOptions ClientAuthentication(GrpcClientTls tls)
    {
        var options = new SslClientAuthenticationOptions();
        if (tls.TrustedCaFile is { } caFile)
        {
            var authorities = PemCertificates.LoadAuthorities(caFile);
            options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                PemCertificates.IsTrusted(certificate, chain, errors, authorities);
        }
        if (tls.CertificateFile is { } certificateFile && tls.KeyFile is { } keyFile)
        {
            var (certificate, chain) = PemCertificates.LoadWithKey(certificateFile, keyFile);
            options.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, chain, offline: true);
        }
        return options;
    }
}
