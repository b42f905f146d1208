using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Rendering;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// The objects a tier owns in the cluster: what the operator labels them with (lists and watches
/// ask for that label only), and the deletion of those the tier's current rendering no longer has
/// (an agent tier switched from DaemonSet to Deployment must not keep shipping the same logs from
/// both). Only objects whose controller reference names the tier's uid are ever deleted, so a
/// user's object that happens to carry the labels is never touched.
/// </summary>
internal static class OwnedObjects
{
    /// <summary>What the operator manages for tiers: the label every listed and watched object carries.</summary>
    public const string ManagedSelector = $"{TierNames.ManagedByLabel}=flumek8s-operator";

    /// <summary>
    /// Deletes the objects <paramref name="index"/> saw controlled by <paramref name="tier"/> that are
    /// not in <paramref name="wanted"/>; returns their descriptions. One the index still lists but the
    /// cluster no longer has is simply gone already.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PruneAsync(KubeClient client, JsonObject tier, OwnedObjectIndex index,
        IReadOnlyCollection<(ResourceKind Kind, string Name)> wanted, CancellationToken cancellationToken)
    {
        var uid = tier["metadata"]?["uid"]?.GetValue<string>();
        var @namespace = KubeClient.Namespace(tier)!;
        var deleted = new List<string>();
        if (uid is null)
        {
            return deleted;
        }
        foreach (var (kind, name) in index.ControlledBy(uid, @namespace).Where(o => !wanted.Contains(o)))
        {
            await client.DeleteAsync(kind, @namespace, name, "Background", cancellationToken).ConfigureAwait(false);
            deleted.Add($"{kind.Kind} {name}");
        }
        return deleted;
    }
}
