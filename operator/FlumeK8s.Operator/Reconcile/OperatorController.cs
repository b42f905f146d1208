using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Observability;
using FlumeK8s.Operator.Reconcile.Pods;
using FlumeK8s.Operator.Rendering;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// Watches the tier kinds, every kind of object a tier owns and the tiers' pods (only the operator's,
/// by label), and reconciles every tier that changed, whose owned object changed (a deleted Service, a
/// hand-edited ConfigMap, a replica that became ready), whose pod's readiness changed, or whose
/// periodic resync came, through a work queue: one reconcile per tier at a time. No error stops a
/// worker: any failure but cancellation is logged with the tier, shown on it (Degraded, a Warning
/// Event) and retried with backoff.
/// </summary>
internal sealed partial class OperatorController(KubeClient client, string? @namespace, RenderOptions options, TimeProvider time,
    ILoggerFactory logs, TimeSpan? resyncPeriod = null, OperatorMetrics? metrics = null, OperatorReadiness? readiness = null,
    FlumeK8s.Operator.Certificates.CertificatePolicy? certificates = null, string? home = null)
{
    public static readonly TimeSpan DefaultResyncPeriod = TimeSpan.FromMinutes(5);
    private const int Workers = 4;
    private readonly ILogger _logger = logs.CreateLogger<OperatorController>();
    private readonly WorkQueue _queue = new(time);
    private readonly ConcurrentDictionary<TierKey, byte> _known = new();
    private readonly OwnedObjectIndex _owned = new();
    private readonly PodChanges _pods = new();
    private readonly OperatorMetrics _metrics = metrics ?? new OperatorMetrics();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reconciler = new TierReconciler(client, options, _owned, time, logs.CreateLogger<TierReconciler>(), certificates, home);
        _metrics.QueueDepthFrom(() => _queue.Depth);
        IReadOnlyList<ResourceKind> owned;
        while (true)
        {
            try
            {
                owned = await reconciler.OwnedKindsAsync(cancellationToken).ConfigureAwait(false);
                readiness?.Ready();
                break;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                readiness?.NotReady($"cannot reach the API server: {e.Message}");
                LogDiscoveryFailed(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
            }
        }
        var watchers = TierResources.Tiers.Select(kind => new Reflector(client, kind, @namespace, time)
                .RunAsync(OnTierAsync, e => WatchFailed(kind, e), cancellationToken))
            .Concat(owned.Select(kind => new Reflector(client, kind, @namespace, time, labelSelector: OwnedObjects.ManagedSelector)
                .RunAsync((change, obj) => OnOwnedAsync(kind, change, obj), e => WatchFailed(kind, e), cancellationToken)))
            .Append(new Reflector(client, ResourceKind.Pod, @namespace, time, labelSelector: OwnedObjects.ManagedSelector)
                .RunAsync(OnPodAsync, e => WatchFailed(ResourceKind.Pod, e), cancellationToken))
            .Append(ResyncAsync(cancellationToken))
            .ToList();
        var workers = Enumerable.Range(0, Workers).Select(_ => WorkAsync(reconciler, cancellationToken)).ToList();
        await Task.WhenAll(watchers.Concat(workers)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void WatchFailed(ResourceKind kind, Exception error)
    {
        _metrics.CountWatchRestart(kind.Kind);
        LogWatchFailed(_logger, kind.Kind, error.Message);
    }

    // A change of status alone (the operator's own write) needs no reconcile: the spec it was
    // computed from is unchanged. Everything else, and every listed tier, is reconciled.
    private Task OnTierAsync(string change, JsonObject tier)
    {
        var key = KeyOf(tier);
        if (change == "DELETED")
        {
            _known.TryRemove(key, out _);
            return Task.CompletedTask;
        }
        _known[key] = 0;
        var generation = tier["metadata"]?["generation"]?.GetValue<long>();
        var observed = tier["status"]?["observedGeneration"]?.GetValue<long>();
        if (change != "MODIFIED" || generation is null || generation != observed)
        {
            _queue.Add(key);
        }
        return Task.CompletedTask;
    }

    private static TierKey KeyOf(JsonObject tier) => new(tier["kind"]!.GetValue<string>(), KubeClient.Namespace(tier)!, KubeClient.Name(tier));

    // A change of an owned object (a replica became ready, a Service was deleted, a ConfigMap edited
    // by hand) is its tier's change: reconcile the owner, which puts back what it renders.
    private Task OnOwnedAsync(ResourceKind kind, string change, JsonObject owned)
    {
        if (!_owned.Observe(kind, change, owned))
        {
            return Task.CompletedTask;
        }
        var owner = owned["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>()
            .FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true && o["apiVersion"]?.GetValue<string>() == TierResources.ApiVersion);
        if (owner is not null)
        {
            _queue.Add(new TierKey(owner["kind"]!.GetValue<string>(), KubeClient.Namespace(owned)!, owner["name"]!.GetValue<string>()));
        }
        return Task.CompletedTask;
    }

    // A tier's pods are owned by its workload, not by the tier; their labels name the tier. Their
    // readiness is reported on the tier (see PodDiagnosis).
    private Task OnPodAsync(string change, JsonObject pod)
    {
        if (_pods.Observe(change, pod) is { } tier)
        {
            _queue.Add(tier);
        }
        return Task.CompletedTask;
    }

    // Level-based safety net: whatever a lost event hid is found at the next resync.
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var period = resyncPeriod ?? DefaultResyncPeriod;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(period, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            foreach (var key in _known.Keys)
            {
                _queue.Add(key);
            }
        }
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
            var started = time.GetTimestamp();
            try
            {
                var again = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                _metrics.CountReconcile(key.Kind, time.GetElapsedTime(started), failed: false);
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
            catch (Exception e)
            {
                _metrics.CountReconcile(key.Kind, time.GetElapsedTime(started), failed: true);
                LogReconcileFailed(_logger, key.ToString(), e);
                await reconciler.ReportFailureAsync(key, e, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discovering the API server's resources failed, trying again: {Reason}")]
    private static partial void LogDiscoveryFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tier}: reconcile failed, retrying with backoff")]
    private static partial void LogReconcileFailed(ILogger logger, string tier, Exception error);
}
