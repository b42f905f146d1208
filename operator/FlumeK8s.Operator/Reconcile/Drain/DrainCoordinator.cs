using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// Scale-downs without loss, for a collector or store tier: decides how many replicas the StatefulSet
/// gets now (<see cref="ScaleDown"/>), tells leaving pods' agents to drain and pods wanted again to
/// stop draining, and settles the claims the drains emptied (<see cref="DrainedClaims"/>).
/// </summary>
internal sealed class DrainCoordinator(KubeClient client, TimeProvider time)
{
    private readonly PodAgents _agents = new(client);
    private readonly DrainedClaims _claims = new(client);
    // Stateless, like _claims: its own instance of the claims' helper.
    private readonly OrphanedClaims _orphans = new(client, new DrainedClaims(client), time);
    private readonly ConcurrentDictionary<TierKey, DrainProgress> _progress = new();
    // Pods told to drain, per tier: a scale-up before they are gone tells them to stop.
    private readonly ConcurrentDictionary<TierKey, HashSet<string>> _told = new();

    /// <summary>
    /// The scale-down's state for the rendered <paramref name="statefulSet"/>, whose replicas it sets
    /// to what may run now; <paramref name="desired"/> is the tier's replicas (0 while it is deleted).
    /// </summary>
    public async Task<ScaleDown> PlanAsync(TierKey key, IClaimTierSpec spec, int desired, JsonObject statefulSet, CancellationToken cancellationToken)
    {
        var name = KubeClient.Name(statefulSet);
        var live = await client.GetAsync(ResourceKind.StatefulSet, key.Namespace, name, cancellationToken).ConfigureAwait(false);
        var running = live?["spec"]?["replicas"]?.GetValue<int>() ?? desired;
        var told = _told.GetOrAdd(key, _ => []);
        var ready = live?["status"]?["readyReplicas"]?.GetValue<int>() ?? 0;
        await ResumeWantedAsync(key, name, desired, told, allUnready: ready < Math.Min(desired, running), cancellationToken).ConfigureAwait(false);

        var leaving = ScaleDown.LeavingPods(name, desired, running);
        var statuses = new List<(string, DrainStatus?)>();
        foreach (var pod in leaving)
        {
            lock (told)
            {
                told.Add(pod);
            }
            statuses.Add((pod, await _agents.DrainAsync(key.Namespace, pod, cancellationToken).ConfigureAwait(false)));
        }
        var stall = TimeSpan.FromSeconds(spec.DrainStallSeconds);
        var stalled = leaving.Count > 0 && _progress.GetOrAdd(key, _ => new DrainProgress())
            .IsStalled(statuses.Sum(s => s.Item2?.Events ?? 0), time.GetUtcNow(), stall);
        var decision = ScaleDown.Decide(desired, running, statuses, stalled, stall);
        if (decision.Replicas < running)
        {
            await _claims.MarkAsync(statefulSet, decision.Leaving, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            lock (told)
            {
                told.ExceptWith(decision.Leaving);
            }
        }
        if (!decision.Condition.Status)
        {
            _progress.TryRemove(key, out _);
        }
        statefulSet["spec"]!["replicas"] = decision.Replicas;
        return decision;
    }

    /// <summary>
    /// After the StatefulSet was applied, one look at the tier's claims: drained ones whose pods are
    /// gone are deleted, orphaned ones are drained by Jobs. Whether drained claims still wait for
    /// their pods, the orphans' condition, and whether an orphan's drain still runs.
    /// </summary>
    public async Task<(bool ClaimsWaiting, TierCondition Orphans, bool OrphansDraining)> SettleClaimsAsync(IClaimTierSpec spec, int desired,
        JsonObject statefulSet, string fieldManager, CancellationToken cancellationToken)
    {
        var settled = await _claims.SettleAsync(statefulSet, desired, spec.Storage?.DeleteClaimAfterDrain ?? true, cancellationToken).ConfigureAwait(false);
        var (orphans, draining) = await _orphans.ReconcileAsync(statefulSet, settled.Orphaned, spec.DrainStallSeconds, fieldManager, cancellationToken).ConfigureAwait(false);
        return (settled.Waiting.Count > 0, orphans, draining);
    }

    /// <summary>Forgets a deleted tier.</summary>
    public void Forget(TierKey key)
    {
        _progress.TryRemove(key, out _);
        _told.TryRemove(key, out _);
    }

    // A scale-up during a drain: the pods wanted again take traffic again (their sources restart);
    // what they still held is simply delivered as usual. Those this leader told to drain are told to
    // stop; when some wanted pod is not ready, every wanted pod is (a drain started by a previous
    // leader is not in this one's memory; telling an agent that does not drain changes nothing).
    private async Task ResumeWantedAsync(TierKey key, string statefulSet, int replicas, HashSet<string> told, bool allUnready, CancellationToken cancellationToken)
    {
        List<string> wanted;
        lock (told)
        {
            wanted = allUnready
                ? [.. Enumerable.Range(0, replicas).Select(n => $"{statefulSet}-{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}")]
                : [.. told.Where(pod => Ordinal(statefulSet, pod) < replicas)];
        }
        foreach (var pod in wanted)
        {
            if (await _agents.CancelDrainAsync(key.Namespace, pod, cancellationToken).ConfigureAwait(false) is { Draining: false })
            {
                lock (told)
                {
                    told.Remove(pod);
                }
            }
        }
    }

    private static int Ordinal(string statefulSet, string pod) =>
        int.Parse(pod.AsSpan(statefulSet.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
}
