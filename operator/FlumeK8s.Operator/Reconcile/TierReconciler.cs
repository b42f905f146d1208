using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// Makes one tier's objects match its spec and reports how it stands. Level-based and idempotent:
/// it reads the tier and its workload now, renders, applies every object with server-side apply
/// (the operator owns exactly the fields it renders), and writes the status. A flow that does not
/// validate changes nothing that reaches the pods: only the status says why.
/// </summary>
internal sealed partial class TierReconciler(KubeClient client, RenderOptions options, TimeProvider time, ILogger logger)
{
    public const string FieldManager = "flumek8s-operator";
    private readonly TierEvents _events = new(client, time);
    private bool? _policyV1;

    /// <summary>Reconciles <paramref name="key"/>; returns how long until it should be looked at again, or null when nothing but a change needs to bring it back.</summary>
    public async Task<TimeSpan?> ReconcileAsync(TierKey key, CancellationToken cancellationToken)
    {
        var resource = TierResources.ByKind(key.Kind);
        var current = await client.GetAsync(resource, key.Namespace, key.Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return null; // deleted: its objects are owned by it, so the garbage collector removes them
        }
        var generation = current["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var read = TierReader.ReadResource(current);
        if (read.Tiers.Count == 0)
        {
            var invalid = Invalid(generation, "InvalidSpec", string.Join("; ", read.Problems));
            await client.ApplyStatusAsync(resource, invalid.ToPatch(current, time.GetUtcNow()), FieldManager, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var result = TierRenderer.Render(read.Tiers[0], options);
        var previousHash = current["status"]?["configHash"]?.GetValue<string>();
        var wasInvalid = current["status"]?["conditions"]?.AsArray()
            .Any(c => c?["type"]?.GetValue<string>() == "ConfigValid" && c["status"]?.GetValue<string>() == "False") == true;
        if (!result.IsValid)
        {
            LogInvalidFlow(logger, key.ToString(), result.Errors.Count);
            if (!wasInvalid)
            {
                await _events.RecordAsync(current, "Warning", "InvalidFlow", string.Join("; ", result.Errors), cancellationToken).ConfigureAwait(false);
            }
            var invalid = Invalid(generation, "InvalidFlow", string.Join("; ", result.Errors));
            await client.ApplyStatusAsync(resource, invalid.ToPatch(current, time.GetUtcNow()), FieldManager, cancellationToken).ConfigureAwait(false);
            return null;
        }

        _policyV1 ??= await client.ServesAsync("policy", "v1", cancellationToken).ConfigureAwait(false);
        JsonObject? workload = null;
        foreach (var obj in result.Objects)
        {
            var kind = TierResources.For(obj, _policyV1.Value);
            var applied = await client.ApplyAsync(kind, obj, FieldManager, cancellationToken).ConfigureAwait(false);
            if (TierResources.Workloads.Contains(kind))
            {
                workload = applied;
            }
        }
        if (previousHash != result.Config!.Hash)
        {
            await _events.RecordAsync(current, "Normal", "ConfigApplied",
                $"applied configuration {result.Config.Hash[..12]} and {result.Objects.Count} objects", cancellationToken).ConfigureAwait(false);
        }
        var status = Observe(generation, workload, result.Config.Hash);
        await client.ApplyStatusAsync(resource, status.ToPatch(current, time.GetUtcNow()), FieldManager, cancellationToken).ConfigureAwait(false);
        LogReconciled(logger, key.ToString(), status.ReadyReplicas, status.Replicas);
        // Settled: readiness changes arrive as changes of the workload, which requeue the tier.
        return null;
    }

    private static TierStatus Invalid(long generation, string reason, string message) => new(generation, 0, 0, null, null,
    [
        new TierCondition("ConfigValid", false, reason, message),
        new TierCondition("Ready", false, reason, "the tier's configuration is invalid; its running objects are left as they were"),
        new TierCondition("Degraded", true, reason, message),
    ]);

    private static TierStatus Observe(long generation, JsonObject? workload, string configHash)
    {
        var spec = workload?["spec"];
        var status = workload?["status"];
        var daemonSet = workload?["kind"]?.GetValue<string>() == "DaemonSet";
        var desired = daemonSet ? Int(status?["desiredNumberScheduled"]) : Int(spec?["replicas"], 1);
        var ready = daemonSet ? Int(status?["numberReady"]) : Int(status?["readyReplicas"]);
        var labels = spec?["selector"]?["matchLabels"]?.AsObject();
        var selector = labels is null ? null : string.Join(",", labels.Select(l => $"{l.Key}={l.Value!.GetValue<string>()}"));
        var isReady = desired > 0 ? ready >= desired : !daemonSet;
        return new TierStatus(generation, desired, ready, selector, configHash,
        [
            new TierCondition("ConfigValid", true, "Rendered", $"configuration {configHash[..12]} passed the agent's validation"),
            new TierCondition("Ready", isReady, isReady ? "AllReplicasReady" : "ReplicasNotReady", $"{ready} of {desired} replicas ready"),
            new TierCondition("Progressing", !isReady, isReady ? "Stable" : "RollingOut", isReady ? "all replicas run the current spec" : $"waiting for {desired - ready} replicas"),
            new TierCondition("Degraded", false, "AsExpected", "no problem found"),
        ]);
    }

    private static int Int(JsonNode? node, int fallback = 0) => node is null ? fallback : node.GetValue<int>();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tier}: applied; {Ready}/{Desired} replicas ready")]
    private static partial void LogReconciled(ILogger logger, string tier, int ready, int desired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tier}: flow does not validate ({Errors} problems); nothing applied")]
    private static partial void LogInvalidFlow(ILogger logger, string tier, int errors);
}
