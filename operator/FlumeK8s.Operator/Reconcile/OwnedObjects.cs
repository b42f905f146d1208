using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Rendering;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// The objects a tier owns in the cluster, found by its labels and confirmed by a controller owner
/// reference to the tier's uid, so a user's object that happens to carry the labels is never touched.
/// Used to delete what the tier's current rendering no longer has (an agent tier switched from
/// DaemonSet to Deployment must not keep shipping the same logs from both).
/// </summary>
internal static class OwnedObjects
{
    /// <summary>What the operator manages for tiers: the label every listed and watched object carries.</summary>
    public const string ManagedSelector = $"{TierNames.ManagedByLabel}=flumek8s-operator";

    public static string SelectorOf(string tierKind, string tierName) =>
        $"{ManagedSelector},{TierNames.InstanceLabel}={tierName},{TierNames.TierKindLabel}={tierKind}";

    /// <summary>Deletes the tier's objects of <paramref name="kinds"/> that are not in <paramref name="wanted"/>; returns their descriptions.</summary>
    public static async Task<IReadOnlyList<string>> PruneAsync(KubeClient client, JsonObject tier, IEnumerable<ResourceKind> kinds,
        IReadOnlyCollection<(ResourceKind Kind, string Name)> wanted, CancellationToken cancellationToken)
    {
        var uid = tier["metadata"]?["uid"]?.GetValue<string>();
        var @namespace = KubeClient.Namespace(tier)!;
        var selector = SelectorOf(tier["kind"]!.GetValue<string>(), KubeClient.Name(tier));
        var deleted = new List<string>();
        foreach (var kind in kinds)
        {
            var list = await client.ListAsync(kind, @namespace, selector, cancellationToken).ConfigureAwait(false);
            foreach (var obj in list.Items.Where(o => IsControlledBy(o, uid) && !wanted.Contains((kind, KubeClient.Name(o)))))
            {
                await client.DeleteAsync(kind, @namespace, KubeClient.Name(obj), "Background", cancellationToken).ConfigureAwait(false);
                deleted.Add($"{kind.Kind} {KubeClient.Name(obj)}");
            }
        }
        return deleted;
    }

    private static bool IsControlledBy(JsonObject obj, string? uid) =>
        uid is not null && obj["metadata"]?["ownerReferences"]?.AsArray().OfType<JsonObject>()
            .Any(o => o["controller"]?.GetValue<bool>() == true && o["uid"]?.GetValue<string>() == uid) == true;
}
