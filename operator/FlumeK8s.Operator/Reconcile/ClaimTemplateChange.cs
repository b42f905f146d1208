using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using k8s.Models;

namespace FlumeK8s.Operator.Reconcile;

/// <summary>
/// A StatefulSet's volumeClaimTemplates cannot change: applying a new storage size or class would
/// fail with 422 on every reconcile while the rest of the tier never updates. Instead the change is
/// held back from the StatefulSet (the rest of it is applied), a size increase is made on the
/// existing claims where their storage class allows expansion, and a condition tells the user what
/// remains to do.
/// </summary>
internal static class ClaimTemplateChange
{
    public const string ConditionType = "StorageUpToDate";

    /// <summary>
    /// Compares <paramref name="desired"/> with the StatefulSet in the cluster; when their claim
    /// templates differ, puts the existing templates back into <paramref name="desired"/>, expands
    /// the claims if the size grew, and returns the condition to report (True when nothing differs).
    /// </summary>
    public static async Task<TierCondition> ReconcileAsync(KubeClient client, JsonObject desired, CancellationToken cancellationToken)
    {
        var name = KubeClient.Name(desired);
        var @namespace = KubeClient.Namespace(desired)!;
        var existing = await client.GetAsync(ResourceKind.StatefulSet, @namespace, name, cancellationToken).ConfigureAwait(false);
        var existingTemplates = existing?["spec"]?["volumeClaimTemplates"]?.AsArray();
        var (wantSize, wantClass) = Storage(desired["spec"]!["volumeClaimTemplates"]!.AsArray());
        if (existingTemplates is null)
        {
            return UpToDate(wantSize);
        }
        var (hasSize, hasClass) = Storage(existingTemplates);
        var (want, has) = (Bytes(wantSize), Bytes(hasSize));
        var sameSize = want == has;
        var sameClass = wantClass is null || wantClass == hasClass;
        if (sameSize && sameClass)
        {
            return UpToDate(wantSize);
        }
        var kept = (JsonArray)existingTemplates.DeepClone();
        foreach (var template in kept.OfType<JsonObject>())
        {
            template.Remove("status");
        }
        desired["spec"]!["volumeClaimTemplates"] = kept;

        var recreate = $"new replicas still get {hasSize}{(hasClass is null ? "" : $" of class {hasClass}")} claims until the StatefulSet is recreated: " +
                       $"kubectl delete statefulset {name} -n {@namespace} --cascade=orphan (its pods and claims stay; the operator recreates it at once with the new template)";
        if (!sameClass)
        {
            return new TierCondition(ConditionType, false, "StorageClassImmutable",
                $"storage.storageClassName changed from {hasClass ?? "the default"} to {wantClass}: existing claims keep their class; {recreate}");
        }
        if (want < has)
        {
            return new TierCondition(ConditionType, false, "ClaimsCannotShrink",
                $"storage.size lowered from {hasSize} to {wantSize}: a claim cannot shrink; {recreate}");
        }
        var refused = await ExpandClaimsAsync(client, existing!, wantSize, cancellationToken).ConfigureAwait(false);
        return refused is null
            ? new TierCondition(ConditionType, false, "ClaimsExpanded", $"existing claims expanded to {wantSize}; {recreate}")
            : new TierCondition(ConditionType, false, "ClaimExpansionRefused", $"storage.size raised from {hasSize} to {wantSize}, but expanding the existing claims was refused: {refused}; {recreate}");
    }

    private static TierCondition UpToDate(string size) =>
        new(ConditionType, true, "AsSpecified", $"claims of {size} as the spec asks");

    // Every claim of the StatefulSet (state-<set>-<ordinal>), grown to the new size. Null when all
    // accepted it; else the API server's reason (the storage class does not allow expansion, say).
    private static async Task<string?> ExpandClaimsAsync(KubeClient client, JsonObject statefulSet, string size, CancellationToken cancellationToken)
    {
        var @namespace = KubeClient.Namespace(statefulSet)!;
        var prefix = $"{statefulSet["spec"]!["volumeClaimTemplates"]![0]!["metadata"]!["name"]!.GetValue<string>()}-{KubeClient.Name(statefulSet)}-";
        var claims = await client.ListAsync(ResourceKind.PersistentVolumeClaim, @namespace, null, cancellationToken).ConfigureAwait(false);
        foreach (var claim in claims.Items.Where(c => KubeClient.Name(c).StartsWith(prefix, StringComparison.Ordinal)))
        {
            var current = claim["spec"]?["resources"]?["requests"]?["storage"]?.GetValue<string>();
            if (current is not null && Bytes(current) >= Bytes(size))
            {
                continue;
            }
            var patch = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "PersistentVolumeClaim",
                ["metadata"] = new JsonObject { ["name"] = KubeClient.Name(claim), ["namespace"] = @namespace },
                ["spec"] = new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } } },
            };
            try
            {
                await client.ApplyAsync(ResourceKind.PersistentVolumeClaim, patch, TierReconciler.FieldManager, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e)
            {
                return $"{KubeClient.Name(claim)}: {e.ServerMessage}";
            }
        }
        return null;
    }

    private static decimal Bytes(string quantity) => new ResourceQuantity(quantity).ToDecimal();

    private static (string Size, string? Class) Storage(JsonArray templates)
    {
        var spec = templates[0]!["spec"]!;
        return (spec["resources"]!["requests"]!["storage"]!.GetValue<string>(), spec["storageClassName"]?.GetValue<string>());
    }
}
