using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Endpoints;
using FlumeK8s.Runtime.Sinks;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The sending end of the gRPC hop. Each batch goes to one endpoint the balancer picks; the take
/// is committed only once that receiver acknowledged (its channel committed). A failure (the
/// receiver's channel full, a refused connection, no answer within request-timeout) backs that
/// endpoint off and the same batch goes to the next available one; when none is left the take
/// rolls back and the runner retries it later. A batch over the receiver's maxMessageBytes is
/// split; a refusal of the batch itself (malformed, or one event too large) fails the delivery at
/// once, naming the cause. At-least-once: a batch whose Ack was lost is sent again.
/// </summary>
public sealed partial class GrpcSink : BatchSink, ILifecycle
{
    private readonly GrpcSinkSettings _settings;
    private readonly ILogger _logger;
    private readonly IEndpointDiscovery _discovery;
    private HopClient? _client;

    public GrpcSink(string name, IChannel channel, GrpcSinkSettings settings, AgentServices services, IHostResolver? resolver = null)
        : base(name, "grpc", channel, settings.BatchSize)
    {
        _settings = settings;
        _logger = services.Logs.CreateLogger<GrpcSink>();
        Balancer = new EndpointBalancer(settings.Selector, settings.Backoff, services.Time, services.RandomFactory());
        _discovery = settings.Hosts.Dns is { } dns
            ? new DnsEndpointDiscovery(dns, resolver ?? SystemHostResolver.Instance, settings.DnsRefreshInterval, services.Time, _logger)
            : new StaticEndpointDiscovery(settings.Hosts.Static);
    }

    public EndpointBalancer Balancer { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A start that failed is tried again on the same sink: the client of that attempt goes.
        var client = new HopClient(_settings, Counter, _logger);
        Interlocked.Exchange(ref _client, client)?.Dispose();
        await _discovery.StartAsync(endpoints =>
        {
            Balancer.Update(endpoints);
            client.Retain(endpoints);
        }, cancellationToken).ConfigureAwait(false);
        LogStarted(_logger, Name, Balancer.Endpoints.Count, string.Join(", ", Balancer.Endpoints));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _discovery.StopAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _client, null)?.Dispose();
    }

    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException($"grpc sink {Name} is not started");
        await SendAsync(client, batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the batch; one that a receiver finds larger than its maxMessageBytes is sent again in
    /// halves, each acknowledged on its own (so a later half failing means the earlier ones arrive
    /// twice when the take is retried: at least once). A refusal no retry can cure fails at once
    /// with its cause rather than backing off healthy endpoints; the batch stays in the channel.
    /// </summary>
    private async ValueTask SendAsync(HopClient client, IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        try
        {
            await SendToAnyEndpointAsync(client, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (GrpcRefusal.IsTooLarge(e) && batch.Count > 1)
        {
            var half = batch.Count / 2;
            LogSplitting(_logger, Name, batch.Count, e.Status.Detail);
            await SendAsync(client, [.. batch.Take(half)], cancellationToken).ConfigureAwait(false);
            await SendAsync(client, [.. batch.Skip(half)], cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (GrpcRefusal.IsPermanent(e))
        {
            var cause = GrpcRefusal.IsTooLarge(e)
                ? $"a single event of {batch[0].Body.Length} body bytes is larger than the receiver accepts ({e.Status.Detail}); raise the receiving grpc source's maxMessageBytes"
                : $"the receiver refused the batch as malformed ({e.StatusCode}: {e.Status.Detail})";
            LogRefusedForGood(_logger, Name, batch.Count, cause);
            throw new SinkDeliveryException(
                $"grpc sink {Name}: {cause}. Retrying cannot succeed until that changes; the events stay in the channel", e);
        }
    }

    private async ValueTask SendToAnyEndpointAsync(HopClient client, IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        var attempts = Balancer.Endpoints.Count;
        RpcException? last = null;
        for (var attempt = 0; attempt < attempts && Balancer.Pick() is { } endpoint; attempt++)
        {
            try
            {
                await client.AppendBatchAsync(endpoint.Endpoint, batch, cancellationToken).ConfigureAwait(false);
                Balancer.ReportSuccess(endpoint);
                return;
            }
            catch (RpcException e) when (GrpcRefusal.IsPermanent(e))
            {
                // The endpoint answered, so it is healthy; every other one would answer the same.
                Balancer.ReportSuccess(endpoint);
                throw;
            }
            catch (ObjectDisposedException) when (!cancellationToken.IsCancellationRequested)
            {
                // The endpoint left the set (its channel closed) as this call started: try the next.
                continue;
            }
            catch (RpcException e)
            {
                var pause = Balancer.ReportFailure(endpoint);
                LogAttemptFailed(_logger, Name, batch.Count, endpoint.Endpoint.ToString(), e.StatusCode, Describe(e), (long)pause.TotalMilliseconds);
                last = e;
            }
        }
        throw new SinkDeliveryException(
            last is null
                ? $"grpc sink {Name}: no endpoint available ({Balancer.Endpoints.Count} known, all backing off); the batch stays in the channel"
                : $"grpc sink {Name}: every endpoint tried failed, last: {last.StatusCode} ({Describe(last)}); the batch stays in the channel",
            last);
    }

    private string Describe(RpcException e) => e.StatusCode == StatusCode.DeadlineExceeded
        ? $"no answer within request-timeout ({_settings.RequestTimeout.TotalMilliseconds} ms)"
        : e.Status.DebugException is { } cause ? $"{e.Status.Detail}: {cause.Message}" : e.Status.Detail;

    [LoggerMessage(Level = LogLevel.Information, Message = "gRPC sink {Sink} started with {Count} endpoints: {Endpoints}")]
    private static partial void LogStarted(ILogger logger, string sink, int count, string endpoints);

    [LoggerMessage(Level = LogLevel.Information, Message = "gRPC sink {Sink}: a batch of {Count} events is too large for the receiver ({Detail}); sending it in halves")]
    private static partial void LogSplitting(ILogger logger, string sink, int count, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC sink {Sink}: {Count} events cannot be delivered: {Cause}")]
    private static partial void LogRefusedForGood(ILogger logger, string sink, int count, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "gRPC sink {Sink}: a batch of {Count} events to {Endpoint} failed with {Status} ({Detail}); that endpoint backs off for {PauseMillis} ms")]
    private static partial void LogAttemptFailed(ILogger logger, string sink, int count, string endpoint, StatusCode status, string detail, long pauseMillis);
}
