using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Rendering;

namespace FlumeK8s.Operator.Reconcile.Pods;

/// <summary>
/// What the pod watch has seen of each tier pod, reduced to what the operator reads of it
/// (<see cref="PodState"/>). A pod becoming Running, its agent starting, its readiness changing: none
/// of these changes the workload's status (a started pod that is not ready leaves readyReplicas as it
/// was), so the pods themselves are watched. The kubelet rewrites a pod's status for much else, so an
/// event is a reason to reconcile the pod's tier only when what the operator reads changed.
/// </summary>
internal sealed class PodChanges
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), PodState> _seen = new();

    /// <summary>Records the event; the tier to reconcile for it, or null when nothing the operator reads changed.</summary>
    public TierKey? Observe(string change, JsonObject pod)
    {
        var labels = pod["metadata"]?["labels"];
        if (KubeClient.Namespace(pod) is not { } ns || Label(labels, TierNames.TierKindLabel) is not { } kind || Label(labels, TierNames.InstanceLabel) is not { } tier)
        {
            return null;
        }
        var key = (ns, KubeClient.Name(pod));
        if (change == "DELETED")
        {
            _seen.TryRemove(key, out _);
            return new TierKey(kind, ns, tier);
        }
        var state = PodState.Read(pod);
        var changed = !_seen.TryGetValue(key, out var before) || before != state;
        _seen[key] = state;
        return changed ? new TierKey(kind, ns, tier) : null;
    }

    private static string? Label(JsonNode? labels, string name) => labels?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
