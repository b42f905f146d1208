using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Reconcile.Certificates;
using FlumeK8s.Operator.Reconcile.Drain;
using FlumeK8s.Operator.Reconcile.Pods;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// Makes one tier's objects match its spec and reports how it stands. Level-based and idempotent:
/// it reads the tier and its workload now, renders, applies every object with server-side apply
/// (the operator owns exactly the fields it renders), deletes the objects of the tier the rendering
/// no longer has, and writes the status. A flow that does not validate changes nothing that reaches
/// the pods: only the status says why. A failure is reported on the tier by <see cref="ReportFailureAsync"/>.
/// </summary>
internal sealed partial class TierReconciler(KubeClient client, RenderOptions options, OwnedObjectIndex owned, TimeProvider time, ILogger logger,
    CertificatePolicy? certificatePolicy = null, string? authorityNamespace = null)
{
    public const string FieldManager = "flumek8s-operator";
    private readonly TierEvents _events = new(client, time);
    private readonly PodDiagnosis _pods = new(client, new TierEvents(client, time), time, logger);
    private readonly DrainCoordinator _drains = new(client, time);
    private readonly DrainOnDelete _deletion = new(client);
    private readonly TierCertificates _certificates = new(client, new AuthorityStore(client, authorityNamespace ?? client.DefaultNamespace, certificatePolicy ?? CertificatePolicy.Default, time),
        certificatePolicy ?? CertificatePolicy.Default, options.ClusterDomain, time);
    private bool? _policyV1;

    /// <summary>The kinds a tier may own, in the group/version this API server serves them.</summary>
    public async Task<IReadOnlyList<ResourceKind>> OwnedKindsAsync(CancellationToken cancellationToken) =>
        TierResources.Owned(await PolicyV1Async(cancellationToken).ConfigureAwait(false));

    // Asked once: whether PodDisruptionBudgets are served as policy/v1 (1.21 and later).
    private async Task<bool> PolicyV1Async(CancellationToken cancellationToken) =>
        _policyV1 ??= await client.ServesAsync("policy", "v1", cancellationToken).ConfigureAwait(false);

    /// <summary>Reconciles <paramref name="key"/>; returns how long until it should be looked at again, or null when nothing but a change needs to bring it back.</summary>
    public async Task<TimeSpan?> ReconcileAsync(TierKey key, CancellationToken cancellationToken)
    {
        var resource = TierResources.ByKind(key.Kind);
        var current = await client.GetAsync(resource, key.Namespace, key.Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            _pods.Forget(key);
            _drains.Forget(key);
            return null; // deleted: its objects are owned by it, so the garbage collector removes them
        }
        var deleting = DrainOnDelete.IsDeleting(current);
        if (deleting && !DrainOnDelete.Holds(current))
        {
            return null; // going without a drain: the garbage collector removes its objects
        }
        var generation = current["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var read = TierReader.ReadResource(current);
        var result = read.Tiers.Count > 0 ? TierRenderer.Render(read.Tiers[0], options) : null;
        var claimSpec = read.Tiers.Count > 0 ? read.Tiers[0].Spec as IClaimTierSpec : null;
        // A tier with claims and a configuration to drain them with holds a finalizer; any other
        // deletion goes on at once. drainOnDelete set to false mid-deletion lets a stuck one go.
        var drainable = claimSpec is not null && result is { IsValid: true };
        await _deletion.SetAsync(resource, current, wanted: drainable && claimSpec!.DrainOnDelete, cancellationToken).ConfigureAwait(false);
        if (deleting && !(drainable && claimSpec!.DrainOnDelete))
        {
            return null;
        }
        if (read.Tiers.Count == 0)
        {
            await WriteStatusAsync(resource, current, Invalid(current, generation, "InvalidSpec", string.Join("; ", read.Problems)), cancellationToken).ConfigureAwait(false);
            return null;
        }
        if (!result!.IsValid)
        {
            LogInvalidFlow(logger, key.ToString(), result.Errors.Count);
            if (!HasCondition(current, "ConfigValid", "False"))
            {
                await _events.RecordAsync(current, "Warning", "InvalidFlow", string.Join("; ", result.Errors), cancellationToken).ConfigureAwait(false);
            }
            // Its pods run on with the last good configuration: their certificate is still renewed,
            // and its Secret takes a successor CA in, which every tier's must before that CA signs.
            await RecordCertificatesAsync(current, await _certificates.EnsureAsync(read.Tiers[0], cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            await WriteStatusAsync(resource, current, Invalid(current, generation, "InvalidFlow", string.Join("; ", result.Errors)), cancellationToken).ConfigureAwait(false);
            return null;
        }

        var policyV1 = await PolicyV1Async(cancellationToken).ConfigureAwait(false);
        JsonObject? workload = null;
        TierCondition? storage = null;
        ScaleDown? scaleDown = null;
        var claimsWaiting = false;
        TierCondition? orphans = null;
        var orphansDraining = false;
        // A tier being deleted is scaled to zero the way a scale-down goes, then let go.
        var desired = deleting ? 0 : claimSpec?.Replicas ?? 0;
        var wanted = new List<(ResourceKind, string)>();
        // Before the workload, so its pods find their certificate when they start.
        var certificates = await _certificates.EnsureAsync(read.Tiers[0], cancellationToken).ConfigureAwait(false);
        if (certificates.IssuedSecret is { } issued)
        {
            wanted.Add((ResourceKind.Secret, issued));
        }
        await RecordCertificatesAsync(current, certificates, cancellationToken).ConfigureAwait(false);
        foreach (var obj in result.Objects)
        {
            var kind = TierResources.For(obj, policyV1);
            if (kind == ResourceKind.StatefulSet && claimSpec is not null)
            {
                storage = await ClaimTemplateChange.ReconcileAsync(client, obj, cancellationToken).ConfigureAwait(false);
                // Sets the replicas the StatefulSet may have now: a scale-down waits for its leaving pods to drain.
                scaleDown = await _drains.PlanAsync(key, claimSpec, desired, obj, cancellationToken).ConfigureAwait(false);
            }
            var applied = await client.ApplyAsync(kind, obj, FieldManager, cancellationToken).ConfigureAwait(false);
            if (kind == ResourceKind.StatefulSet && claimSpec is not null)
            {
                (claimsWaiting, orphans, orphansDraining) = await _drains.SettleClaimsAsync(claimSpec, desired, obj, FieldManager, cancellationToken).ConfigureAwait(false);
            }
            wanted.Add((kind, KubeClient.Name(obj)));
            if (TierResources.Workloads.Contains(kind))
            {
                workload = applied;
            }
        }
        foreach (var removed in await OwnedObjects.PruneAsync(client, current, owned, wanted, cancellationToken).ConfigureAwait(false))
        {
            LogPruned(logger, key.ToString(), removed);
            await _events.RecordAsync(current, "Normal", "Pruned", $"deleted {removed}: the tier no longer renders it", cancellationToken).ConfigureAwait(false);
        }
        if (current["status"]?["configHash"]?.GetValue<string>() != result.Config!.Hash)
        {
            await _events.RecordAsync(current, "Normal", "ConfigApplied",
                $"applied configuration {result.Config.Hash[..12]} and {result.Objects.Count} objects", cancellationToken).ConfigureAwait(false);
        }
        if (storage is { Status: false } && !HasCondition(current, storage.Type, "False"))
        {
            await _events.RecordAsync(current, "Warning", storage.Reason, storage.Message, cancellationToken).ConfigureAwait(false);
        }
        if (scaleDown is not null)
        {
            await RecordDrainAsync(current, scaleDown, cancellationToken).ConfigureAwait(false);
        }
        if (deleting && scaleDown is { Replicas: 0 } && !claimsWaiting && !orphansDraining && (workload?["status"]?["replicas"]?.GetValue<int>() ?? 0) == 0)
        {
            // Every pod drained and gone, their claims settled: the tier may go.
            LogDrainedForDeletion(logger, key.ToString());
            await _deletion.SetAsync(resource, current, wanted: false, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var rollout = WorkloadRollout.Read(workload!);
        // The pods a scale-down drains are not ready on purpose (the Draining condition speaks for
        // them): the tier is judged by the pods it keeps.
        var kept = scaleDown is { Condition.Status: true } ? rollout with { Desired = rollout.Desired - scaleDown.Leaving.Count } : rollout;
        var notReady = kept.IsComplete || kept.Selector is null
            ? []
            : (await _pods.DiagnoseAsync(key, kept.Selector, cancellationToken).ConfigureAwait(false))
                .Where(p => scaleDown?.Leaving.Contains(p.Name) != true).ToList();
        var status = Observe(generation, kept, rollout.Desired, result.Config.Hash, [storage, scaleDown?.Condition, orphans, certificates.Condition], notReady, scaleDown)
            with { Certificates = certificates.Certificates };
        await WriteStatusAsync(resource, current, status, cancellationToken).ConfigureAwait(false);
        LogReconciled(logger, key.ToString(), status.ReadyReplicas, status.Replicas);
        // Readiness changes arrive as changes of the workload and of the pods, which requeue the tier;
        // the reason a pod gives for not being ready can change without either, so it is asked again,
        // and a drain's progress (or a drained claim whose pod is still going) is followed closely.
        TimeSpan? followUp = scaleDown?.Condition.Status == true || claimsWaiting || deleting || orphansDraining ? DrainFollowUp
            : notReady.Count > 0 ? PodDiagnosis.RefreshEvery
            : null;
        return Sooner(followUp, certificates.NextCheck);
    }

    // The next renewal (or expiry warning) brings the tier back by itself. A minimum keeps a clock
    // just short of the due time from spinning; a maximum because a timer cannot wait past ~49 days
    // (a renewal months away is simply looked at again daily, besides the periodic resync).
    private TimeSpan? Sooner(TimeSpan? followUp, DateTimeOffset? certificatesDue)
    {
        if (certificatesDue is not { } due)
        {
            return followUp;
        }
        var wait = TimeSpan.FromTicks(Math.Clamp((due - time.GetUtcNow()).Ticks, CertificateFollowUpMinimum.Ticks, CertificateFollowUpMaximum.Ticks));
        return followUp is { } other && other < wait ? other : wait;
    }

    private static readonly TimeSpan CertificateFollowUpMinimum = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CertificateFollowUpMaximum = TimeSpan.FromDays(1);

    // An issued certificate is a Normal event; a user's Secret missing, broken or about to lapse a
    // Warning, once per new message (not at every reconcile).
    private async Task RecordCertificatesAsync(JsonObject current, CertificateReport report, CancellationToken cancellationToken)
    {
        if (report.Condition is not { } condition)
        {
            return;
        }
        var before = Condition(current, CertificateReport.ConditionType);
        if (!condition.Status && before?["message"]?.GetValue<string>() != condition.Message)
        {
            await _events.RecordAsync(current, "Warning", condition.Reason, condition.Message, cancellationToken).ConfigureAwait(false);
        }
        else if (condition.Reason == "Issued")
        {
            await _events.RecordAsync(current, "Normal", "CertificateIssued", condition.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan DrainFollowUp = TimeSpan.FromSeconds(2);

    // Events when a drain starts, is blocked, and completes.
    private async Task RecordDrainAsync(JsonObject current, ScaleDown scaleDown, CancellationToken cancellationToken)
    {
        var before = Condition(current, ScaleDown.ConditionType)?["reason"]?.GetValue<string>();
        var reason = scaleDown.Condition.Reason;
        if (reason != before && reason is "Draining" or "DrainBlocked" or "Drained")
        {
            await _events.RecordAsync(current, reason == "DrainBlocked" ? "Warning" : "Normal", reason, scaleDown.Condition.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Shows a failed reconcile on the tier: Degraded with the error (for an API server refusal, its
    /// own message), the rest of the status as it was, and a Warning Event when the error is new.
    /// Best effort: when the API server is the problem, the log and the retry are all there is.
    /// </summary>
    public async Task ReportFailureAsync(TierKey key, Exception error, CancellationToken cancellationToken)
    {
        var message = error is KubeApiException api ? $"the API server refused: {api.ServerMessage}" : error.Message;
        var reason = error is KubeApiException { Reason: { } r } ? $"Apply{r}" : "ReconcileError";
        try
        {
            var resource = TierResources.ByKind(key.Kind);
            var current = await client.GetAsync(resource, key.Namespace, key.Name, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return;
            }
            var degraded = new TierCondition("Degraded", true, reason, message);
            if (Condition(current, "Degraded")?["message"]?.GetValue<string>() != message)
            {
                await _events.RecordAsync(current, "Warning", reason, message, cancellationToken).ConfigureAwait(false);
            }
            var previous = TierStatus.From(current);
            await WriteStatusAsync(resource, current, previous with { Conditions = [.. previous.Conditions.Where(c => c.Type != "Degraded"), degraded] },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or IOException)
        {
            LogReportFailed(logger, key.ToString(), e.Message);
        }
    }

    private Task WriteStatusAsync(ResourceKind resource, JsonObject current, TierStatus status, CancellationToken cancellationToken) =>
        client.ApplyStatusAsync(resource, status.ToPatch(current, time.GetUtcNow()), FieldManager, cancellationToken);

    // The running objects are left as they were, so the status keeps what it said of them (replicas,
    // selector: an HPA on the tier reads them) and says why nothing changed.
    private static TierStatus Invalid(JsonObject current, long generation, string reason, string message) => TierStatus.From(current) with
    {
        ObservedGeneration = generation,
        Conditions =
        [
            new TierCondition("ConfigValid", false, reason, message),
            new TierCondition("Ready", false, reason, "the tier's configuration is invalid; its running objects are left as they were"),
            new TierCondition("Degraded", true, reason, message),
        ],
    };

    // replicas: what the workload runs now (the scale subresource's status), draining pods included.
    private static TierStatus Observe(long generation, WorkloadRollout rollout, int replicas, string configHash, IEnumerable<TierCondition?> more,
        IReadOnlyList<NotReadyPod> notReady, ScaleDown? scaleDown)
    {
        var ready = rollout.IsComplete;
        List<TierCondition> conditions =
        [
            new TierCondition("ConfigValid", true, "Rendered", $"configuration {configHash[..12]} passed the agent's validation"),
            new TierCondition("Ready", ready, ready ? "AllReplicasReady" : "ReplicasNotReady", rollout.Describe()),
            new TierCondition("Progressing", !ready, ready ? "Stable" : "RollingOut", ready ? "all replicas run the current spec" : rollout.Describe()),
            notReady.Count > 0 ? PodsNotReady.Condition(notReady) : new TierCondition("Degraded", false, "AsExpected", "no problem found"),
        ];
        conditions.AddRange(more.OfType<TierCondition>());
        return new TierStatus(generation, replicas, rollout.Ready, rollout.Selector, configHash, conditions,
            scaleDown is null ? null : scaleDown.Condition.Status ? scaleDown.Leaving.Count : 0);
    }

    private static JsonObject? Condition(JsonObject tier, string type) =>
        tier["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    private static bool HasCondition(JsonObject tier, string type, string status) => Condition(tier, type)?["status"]?.GetValue<string>() == status;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tier}: applied; {Ready}/{Desired} replicas ready")]
    private static partial void LogReconciled(ILogger logger, string tier, int ready, int desired);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tier}: drained and deleted; its objects go with it")]
    private static partial void LogDrainedForDeletion(ILogger logger, string tier);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tier}: flow does not validate ({Errors} problems); nothing applied")]
    private static partial void LogInvalidFlow(ILogger logger, string tier, int errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tier}: deleted {Object}, which the tier no longer renders")]
    private static partial void LogPruned(ILogger logger, string tier, string @object);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tier}: could not record the failure on the tier: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string tier, string reason);
}
