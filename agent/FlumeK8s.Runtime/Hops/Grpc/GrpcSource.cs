using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Hosting;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Sources.Delivery;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The receiving end of the gRPC hop: Grpc.AspNetCore on Kestrel, HTTP/2 only (h2c in plain text,
/// ALPN h2 with TLS). Besides AppendBatch the port serves the standard <c>grpc.health.v1</c> service,
/// NOT_SERVING whenever the agent is not ready (draining, a channel unhealthy: what /readyz says),
/// so Kubernetes' gRPC probes and load balancers can use it. Hosted without signal handling, like
/// the admin endpoint: the agent decides when it stops, and stopping lets calls in flight finish
/// until the stop's token fires.
/// </summary>
public sealed partial class GrpcSource : ISource
{
    /// <summary>
    /// HTTP/2 receive windows: a whole batch (a few hundred kilobytes at batch 1000) and the next
    /// ones arrive without waiting for WINDOW_UPDATEs. They bound what a connection may push
    /// ahead of the source, and what a call holds is charged to maxInFlightBytes anyway.
    /// </summary>
    private const int StreamWindowBytes = 4 * 1024 * 1024;
    private const int ConnectionWindowBytes = 8 * 1024 * 1024;

    private readonly GrpcSourceSettings _settings;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _logger;
    private readonly AgentReadiness _readiness;
    private readonly HopService _service;
    private readonly GrpcMessageBudget _budget;
    private readonly AppendBatchCalls _calls;
    private readonly EmbeddedWebServer _server = new();

    public GrpcSource(string name, GrpcSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _logs = services.Logs;
        _logger = services.Logs.CreateLogger<GrpcSource>();
        _readiness = services.Readiness;
        Counter = new SourceCounter(name, "grpc");
        var delivery = new RequestDelivery(name, processor, Counter, _logger);
        _service = new HopService(delivery);
        _budget = new GrpcMessageBudget(settings.MaxInFlightBytes);
        _calls = new AppendBatchCalls(_budget, settings.MaxMessageBytes, delivery);
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The port actually bound once started (the one asked for, or the one the system chose for port 0).</summary>
    public int Port => _server.Port;

    /// <summary>Bytes of request messages the calls in progress hold (at most maxInFlightBytes).</summary>
    internal long InFlightBytes => _budget.InUse;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = await SourceEndpoint.ResolveAsync(_settings.Bind, _settings.Port, cancellationToken).ConfigureAwait(false);
        var tls = _settings.Tls is { } settings ? new ServerTlsHandshake(settings, _logger) : null;
        await _server.StartAsync(_logs, kestrel =>
        {
            // maxMessageBytes and maxInFlightBytes are enforced per message, as its bytes arrive.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.Http2.InitialStreamWindowSize = StreamWindowBytes;
            kestrel.Limits.Http2.InitialConnectionWindowSize = ConnectionWindowBytes;
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
                if (tls is not null)
                {
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = _ => ValueTask.FromResult(tls.OptionsForNewConnection()),
                    });
                }
            });
        }, app =>
        {
            app.Use(_calls.InvokeAsync);
            app.MapGrpcService<HopService>();
            app.MapGrpcHealthChecksService();
        }, cancellationToken, services =>
        {
            // A hop connection is busy for its whole life: reading straight into a buffer saves the
            // zero-byte read (one syscall) Kestrel otherwise makes before every receive. A batch
            // arrives as dozens of DATA frames; handling them on the socket's thread instead of a
            // thread-pool hand-off each halves the source's CPU per batch. Safe because nothing
            // blocks there: HopService leaves that thread before the channels do their work.
            services.Configure<SocketTransportOptions>(sockets =>
            {
                sockets.WaitForDataBeforeAllocatingBuffer = false;
                sockets.UnsafePreferInlineScheduling = true;
            });
            services.AddGrpc(grpc =>
            {
                grpc.MaxReceiveMessageSize = _settings.MaxMessageBytes;
                // Refusals of malformed calls name what was wrong, not just "exception was thrown by handler".
                grpc.EnableDetailedErrors = true;
                grpc.CompressionProviders = [new BoundedGzipProvider(_settings.MaxMessageBytes)];
            });
            services.AddSingleton(_service);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<HopService>, HopServiceMethods>());
            services.AddGrpcHealthChecks().AddCheck("agent", () => _readiness.NotReadyReason is { } reason
                ? HealthCheckResult.Unhealthy(reason)
                : HealthCheckResult.Healthy());
        }).ConfigureAwait(false);
        LogListening(_logger, Name, endpoint.Address.ToString(), Port, tls?.Security ?? "plain text");
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "gRPC source {Source} listening on {Address}:{Port} ({Security})")]
    private static partial void LogListening(ILogger logger, string source, string address, int port, string security);
}
