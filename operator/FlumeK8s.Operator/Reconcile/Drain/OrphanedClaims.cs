using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// Claims of a tier that no pod uses and no drain emptied (a crash during a drain, a force-deleted
/// pod, a StatefulSet scaled down by hand or before this operator managed it) may hold events no one
/// will read. Each gets a <see cref="DrainJob"/>; when the Job succeeds the claim is marked drained,
/// so <see cref="DrainedClaims"/> deletes it per <c>storage.deleteClaimAfterDrain</c>, and the Job goes.
/// </summary>
internal sealed class OrphanedClaims(KubeClient client, DrainedClaims claims, TimeProvider time)
{
    public const string ConditionType = "OrphanedClaims";

    /// <summary>Starts or follows the drains of <paramref name="orphaned"/>; the condition to show, and whether a drain still runs.</summary>
    public async Task<(TierCondition Condition, bool Running)> ReconcileAsync(JsonObject statefulSet, IReadOnlyList<string> orphaned, int drainStallSeconds,
        string fieldManager, CancellationToken cancellationToken)
    {
        var ns = KubeClient.Namespace(statefulSet);
        var running = new List<string>();
        var failed = new List<string>();
        foreach (var claim in orphaned)
        {
            var job = await client.GetAsync(ResourceKind.Job, ns, DrainJob.Name(claim), cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                await client.ApplyAsync(ResourceKind.Job, DrainJob.Render(statefulSet, claim, drainStallSeconds), fieldManager, cancellationToken).ConfigureAwait(false);
                running.Add(claim);
            }
            else if ((job["status"]?["succeeded"]?.GetValue<int>() ?? 0) > 0)
            {
                await claims.MarkClaimAsync(ns, claim, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                await client.DeleteAsync(ResourceKind.Job, ns, DrainJob.Name(claim), "Background", cancellationToken).ConfigureAwait(false);
            }
            else if (job["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Failed" && c["status"]?.GetValue<string>() == "True") == true)
            {
                failed.Add(claim);
            }
            else
            {
                running.Add(claim);
            }
        }
        var condition = failed.Count > 0
            ? new TierCondition(ConditionType, true, "OrphanDrainFailed",
                $"the Jobs draining {string.Join(", ", failed)} failed (their logs say why; delete a Job to try again)" +
                (running.Count > 0 ? $"; draining {string.Join(", ", running)}" : ""))
            : running.Count > 0
                ? new TierCondition(ConditionType, true, "Draining", $"claims no pod uses, drained by Jobs: {string.Join(", ", running.Select(DrainJob.Name))}")
                : new TierCondition(ConditionType, false, "None", "every claim beyond the replicas was drained");
        return (condition, running.Count > 0);
    }
}
