using System.Globalization;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// Where a collector or store tier's scale-down stands. The StatefulSet keeps its replicas while a
/// leaving pod (ordinal at or beyond the wanted replicas) still holds events, so nothing a file
/// channel buffered is stranded on a claim; it shrinks only when every leaving agent says it drains
/// and is empty.
/// </summary>
internal sealed record ScaleDown(int Replicas, IReadOnlyList<string> Leaving, bool Blocked, TierCondition Condition)
{
    public const string ConditionType = "Draining";

    /// <param name="statuses">Each leaving pod's answer; null when it did not answer (not running yet, unreachable).</param>
    /// <param name="stalled">True when the events the leaving pods hold have not gone down for <paramref name="stall"/>.</param>
    public static ScaleDown Decide(int desired, int running, IReadOnlyList<(string Pod, DrainStatus? Status)> statuses, bool stalled, TimeSpan stall)
    {
        if (running <= desired)
        {
            return new ScaleDown(desired, [], false, new TierCondition(ConditionType, false, "NotDraining", "no replica is leaving"));
        }
        var leaving = statuses.Select(s => s.Pod).ToList();
        if (statuses.All(s => s.Status is { Draining: true, Empty: true }))
        {
            return new ScaleDown(desired, leaving, false,
                new TierCondition(ConditionType, false, "Drained", $"{string.Join(", ", leaving)} drained: replicas {running} → {desired}"));
        }
        var held = string.Join(", ", statuses.Select(s => s.Status is { } status
            ? $"{s.Pod} holds {status.Events.ToString("N0", CultureInfo.InvariantCulture)} events"
            : $"{s.Pod} does not answer"));
        var message = $"{held}; the StatefulSet keeps {running} replicas until they are empty";
        return stalled
            ? new ScaleDown(running, leaving, true, new TierCondition(ConditionType, true, "DrainBlocked",
                $"{message}. No event has left them for {stall.TotalSeconds:F0} s: the next tier refuses them or is gone"))
            : new ScaleDown(running, leaving, false, new TierCondition(ConditionType, true, "Draining", message));
    }

    /// <summary>The pods leaving when the tier goes from <paramref name="running"/> to <paramref name="desired"/> replicas: the highest ordinals.</summary>
    public static IReadOnlyList<string> LeavingPods(string statefulSet, int desired, int running) =>
        [.. Enumerable.Range(desired, Math.Max(0, running - desired)).Select(n => $"{statefulSet}-{n.ToString(CultureInfo.InvariantCulture)}")];
}
