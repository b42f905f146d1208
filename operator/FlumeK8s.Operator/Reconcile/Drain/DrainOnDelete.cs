using System.Text.Json.Nodes;
using FlumeK8s.Kube;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// Deleting a collector or store tier drains it first: a finalizer keeps the tier while the
/// operator scales it to zero the way any scale-down goes (each pod's agent drains into the next
/// tier, its claim deleted once empty); then the finalizer goes and the garbage collector removes the
/// tier's objects. Without it, deleting a tier stops every pod at once and strands what their file
/// channels hold on claims nothing reads. <c>drainOnDelete: false</c> opts out.
/// </summary>
internal sealed class DrainOnDelete(KubeClient client)
{
    public const string Finalizer = "flumek8s.io/drain";
    // Its own field manager: the finalizer is added and withdrawn without touching anything else.
    private const string FieldManager = "flumek8s-operator-finalizer";

    public static bool IsDeleting(JsonObject tier) => tier["metadata"]?["deletionTimestamp"] is not null;

    public static bool Holds(JsonObject tier) =>
        tier["metadata"]?["finalizers"]?.AsArray().Any(f => f?.GetValue<string>() == Finalizer) == true;

    /// <summary>Adds (<paramref name="wanted"/>) or withdraws this operator's finalizer on the tier, when it differs.</summary>
    public async Task SetAsync(ResourceKind resource, JsonObject tier, bool wanted, CancellationToken cancellationToken)
    {
        if (Holds(tier) == wanted)
        {
            return;
        }
        var metadata = new JsonObject { ["name"] = KubeClient.Name(tier), ["namespace"] = KubeClient.Namespace(tier) };
        if (wanted)
        {
            metadata["finalizers"] = new JsonArray(Finalizer);
        }
        // Server-side apply treats finalizers as a set: other finalizers stay, and applying none
        // withdraws the one this manager set.
        await client.ApplyAsync(resource, new JsonObject
        {
            ["apiVersion"] = tier["apiVersion"]!.GetValue<string>(),
            ["kind"] = tier["kind"]!.GetValue<string>(),
            ["metadata"] = metadata,
        }, FieldManager, cancellationToken).ConfigureAwait(false);
    }
}
