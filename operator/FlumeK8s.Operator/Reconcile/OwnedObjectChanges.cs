using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// Tells which events of owned objects are changes worth a reconcile of their tier. Every apply
/// touches <c>managedFields</c> and the resourceVersion even when nothing else changes, so without
/// this filter each reconcile's own applies would come back as events and reconcile the tier again,
/// forever: with many tiers the queue never empties and a user's change waits behind the churn.
/// An object counts as changed when anything but its resourceVersion and managedFields differs
/// from the last time it was seen, or when it is deleted.
/// </summary>
internal sealed class OwnedObjectChanges
{
    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);

    public bool IsChange(string change, JsonObject obj)
    {
        var key = $"{obj["kind"]?.GetValue<string>()}/{KubeClient.Namespace(obj)}/{KubeClient.Name(obj)}";
        if (change == "DELETED")
        {
            _seen.TryRemove(key, out _);
            return true;
        }
        var fingerprint = Fingerprint(obj);
        var previous = _seen.TryGetValue(key, out var seen) ? seen : null;
        _seen[key] = fingerprint;
        return previous != fingerprint;
    }

    private static string Fingerprint(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            metadata.Remove("managedFields");
        }
        return copy.ToJsonString();
    }
}
