using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// How far a workload's rollout has come, read from its status: the tier is Ready only when the
/// workload's controller has seen its latest spec (observedGeneration) and every desired replica is
/// both updated to it and ready. A pod still running the old template is not Ready for the new one.
/// A DaemonSet that no node runs is not Ready either: an agent tier exists to run somewhere.
/// </summary>
internal sealed record WorkloadRollout(int Desired, int Updated, int Ready, bool Observed, string? Selector, bool NeedsOne = false)
{
    public bool IsComplete => Observed && Updated >= Desired && Ready >= Desired && (Desired > 0 || !NeedsOne);

    public string Describe() => !Observed
        ? "the workload's controller has not seen its latest spec yet"
        : $"{Ready} of {Desired} replicas ready, {Updated} updated";

    public static WorkloadRollout Read(JsonObject workload)
    {
        var spec = workload["spec"];
        var status = workload["status"];
        var generation = Long(workload["metadata"]?["generation"]);
        var observed = Long(status?["observedGeneration"]) >= generation;
        var labels = spec?["selector"]?["matchLabels"]?.AsObject();
        var selector = labels is null ? null : string.Join(",", labels.Select(l => $"{l.Key}={l.Value!.GetValue<string>()}"));
        return workload["kind"]?.GetValue<string>() switch
        {
            "DaemonSet" => new(Int(status?["desiredNumberScheduled"]), Int(status?["updatedNumberScheduled"]), Int(status?["numberReady"]), observed, selector, NeedsOne: true),
            _ => new(Int(spec?["replicas"], 1), Int(status?["updatedReplicas"]), Int(status?["readyReplicas"]), observed, selector),
        };
    }

    private static int Int(JsonNode? node, int fallback = 0) => node is null ? fallback : node.GetValue<int>();

    private static long Long(JsonNode? node) => node is null ? 0 : node.GetValue<long>();
}
