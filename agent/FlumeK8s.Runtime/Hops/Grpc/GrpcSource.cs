using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Hosting;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The receiving end of the gRPC hop, served by Kestrel over HTTP/2 only (h2c in plain text, ALPN h2
/// with TLS). Hosted without signal handling, like the admin endpoint: the agent decides when it
/// stops, and stopping lets calls in flight finish until the stop's token fires.
/// </summary>
public sealed partial class GrpcSource : ISource
{
    private readonly GrpcSourceSettings _settings;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _logger;
    private readonly GrpcSourceCalls _calls;
    private readonly EmbeddedWebServer _server = new();

    public GrpcSource(string name, GrpcSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _logs = services.Logs;
        _logger = services.Logs.CreateLogger<GrpcSource>();
        Counter = new SourceCounter(name, "grpc");
        _calls = new GrpcSourceCalls(settings, processor, Counter, services.Time, _logger);
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The port actually bound once started (the one asked for, or the one the system chose for port 0).</summary>
    public int Port => _server.Port;

    /// <summary>Bytes of request messages the calls in progress hold (at most maxInFlightBytes).</summary>
    internal long InFlightBytes => _calls.InFlightBytes;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = await SourceEndpoint.ResolveAsync(_settings.Bind, _settings.Port, cancellationToken).ConfigureAwait(false);
        var https = _settings.Tls is { } tls ? HttpsOptions(tls) : null;
        await _server.StartAsync(_logs, kestrel =>
        {
            // maxMessageBytes and maxInFlightBytes are enforced per message, as its bytes arrive.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => async connection =>
                {
                    Counter.ConnectionOpened();
                    try
                    {
                        await next(connection).ConfigureAwait(false);
                    }
                    finally
                    {
                        Counter.ConnectionClosed();
                    }
                });
                if (https is not null)
                {
                    listen.UseHttps(https);
                }
            });
        }, app => app.Run(_calls.HandleAsync), cancellationToken).ConfigureAwait(false);
        LogListening(_logger, Name, endpoint.Address.ToString(), Port, https is null ? "plain text" : _settings.Tls!.RequireClientCertificate ? "mTLS" : "TLS");
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    private static HttpsConnectionAdapterOptions HttpsOptions(GrpcServerTls tls)
    {
        var (certificate, chain) = PemCertificates.LoadWithKey(tls.CertificateFile, tls.KeyFile);
        var options = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            ServerCertificateChain = chain,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateMode = tls.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
        };
        if (tls.ClientCaFile is { } caFile)
        {
            var authorities = PemCertificates.LoadAuthorities(caFile);
            options.ClientCertificateMode = tls.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate;
            options.ClientCertificateValidation = (certificate, chain, errors) =>
                PemCertificates.IsTrusted(certificate, chain, errors, authorities);
        }
        return options;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "gRPC source {Source} listening on {Address}:{Port} ({Security})")]
    private static partial void LogListening(ILogger logger, string source, string address, int port, string security);
}
