using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// What the owned-object watches have seen: for each object, its controlling tier's uid and a hash
/// of its content. It answers two questions without asking the API server again:
/// <list type="bullet">
/// <item>is an event a change worth a reconcile of its tier? Every apply rewrites
/// <c>managedFields</c> and the resourceVersion even when nothing else changes, so without this
/// filter each reconcile's own applies would come back as events and reconcile the tier again, for
/// ever: with many tiers the queue never empties and a user's change waits behind the churn. An
/// object counts as changed when anything but those two fields differs, or when it is deleted;</item>
/// <item>which objects does a tier control, so those it no longer renders can be pruned?</item>
/// </list>
/// </summary>
internal sealed class OwnedObjectIndex
{
    private readonly ConcurrentDictionary<(ResourceKind Kind, string Namespace, string Name), (string? Owner, string Hash)> _seen = new();

    /// <summary>Records the event; true when it is a change worth reconciling the owner for.</summary>
    public bool Observe(ResourceKind kind, string change, JsonObject obj)
    {
        var key = (kind, KubeClient.Namespace(obj) ?? "", KubeClient.Name(obj));
        if (change == "DELETED")
        {
            _seen.TryRemove(key, out _);
            return true;
        }
        var entry = (ControllerUid(obj), Hash(obj));
        var changed = !_seen.TryGetValue(key, out var previous) || previous.Hash != entry.Item2;
        _seen[key] = entry;
        return changed;
    }

    /// <summary>The objects in <paramref name="namespace"/> whose controller is the tier with <paramref name="uid"/>.</summary>
    public IReadOnlyList<(ResourceKind Kind, string Name)> ControlledBy(string uid, string @namespace) =>
        [.. _seen.Where(e => e.Value.Owner == uid && e.Key.Namespace == @namespace).Select(e => (e.Key.Kind, e.Key.Name))];

    private static string? ControllerUid(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>()
            .FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true)?["uid"]?.GetValue<string>();

    private static string Hash(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            metadata.Remove("managedFields");
        }
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ToJsonString())));
    }
}
