using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Rendering;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// Watches the tier kinds and the workloads the tiers own, and reconciles every tier that changed
/// (or whose workload changed) through a work queue: one reconcile per tier at a time, failures
/// retried with backoff and shown on the tier's status by the next successful pass.
/// </summary>
internal sealed partial class OperatorController(KubeClient client, string? @namespace, RenderOptions options, TimeProvider time, ILoggerFactory logs)
{
    private const int Workers = 4;
    private readonly ILogger _logger = logs.CreateLogger<OperatorController>();
    private readonly WorkQueue _queue = new(time);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reconciler = new TierReconciler(client, options, time, logs.CreateLogger<TierReconciler>());
        var watchers = TierResources.Tiers.Select(kind => new Reflector(client, kind, @namespace, time)
                .RunAsync(OnTierAsync, e => LogWatchFailed(_logger, kind.Kind, e.Message), cancellationToken))
            .Concat(TierResources.Workloads.Select(kind => new Reflector(client, kind, @namespace, time)
                .RunAsync((_, obj) => EnqueueOwner(obj), e => LogWatchFailed(_logger, kind.Kind, e.Message), cancellationToken)))
            .ToList();
        var workers = Enumerable.Range(0, Workers).Select(_ => WorkAsync(reconciler, cancellationToken)).ToList();
        await Task.WhenAll(watchers.Concat(workers)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // A change of status alone (the operator's own write) needs no reconcile: the spec it was
    // computed from is unchanged. Everything else, and every listed tier, is reconciled.
    private Task OnTierAsync(string change, JsonObject tier)
    {
        var generation = tier["metadata"]?["generation"]?.GetValue<long>();
        var observed = tier["status"]?["observedGeneration"]?.GetValue<long>();
        return change == "MODIFIED" && generation is not null && generation == observed ? Task.CompletedTask : Enqueue(tier);
    }

    private Task Enqueue(JsonObject tier)
    {
        _queue.Add(new TierKey(tier["kind"]!.GetValue<string>(), KubeClient.Namespace(tier)!, KubeClient.Name(tier)));
        return Task.CompletedTask;
    }

    // A workload's change (a replica became ready) is its tier's change: reconcile the owner.
    private Task EnqueueOwner(JsonObject workload)
    {
        var owner = workload["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>()
            .FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true && o["apiVersion"]?.GetValue<string>() == TierResources.ApiVersion);
        if (owner is not null)
        {
            _queue.Add(new TierKey(owner["kind"]!.GetValue<string>(), KubeClient.Namespace(workload)!, owner["name"]!.GetValue<string>()));
        }
        return Task.CompletedTask;
    }

    private async Task WorkAsync(TierReconciler reconciler, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TierKey key;
            try
            {
                key = await _queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var again = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                _queue.Forget(key);
                if (again is { } delay)
                {
                    _queue.AddAfter(key, delay);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
            {
                LogReconcileFailed(_logger, key.ToString(), e.Message);
                _queue.Retry(key);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching {Kind} failed, listing again: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tier}: reconcile failed, retrying with backoff: {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string tier, string reason);
}
