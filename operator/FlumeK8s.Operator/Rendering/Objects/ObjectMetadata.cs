using System.Text.Json.Nodes;
using FlumeK8s.Operator.Schema;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Rendering.Objects.JsonBuild;

namespace FlumeK8s.Operator.Rendering.Objects;

/// <summary>
/// The metadata every object of a tier carries: its namespace, the tier's labels, and an owner
/// reference to the tier (controller, blocking deletion) so Kubernetes deletes it with the tier.
/// A tier rendered from a file has no uid yet, and the API server refuses an owner reference
/// without one: those objects carry none (the operator adds it when it applies them).
/// </summary>
internal static class ObjectMetadata
{
    public static JsonObject For(ITier tier, string name, IReadOnlyDictionary<string, string>? annotations = null) => Object(
        ("name", name),
        ("namespace", tier.Metadata.Namespace),
        ("labels", Map(TierNames.Labels(tier))),
        ("annotations", Map(annotations)),
        ("ownerReferences", tier.Metadata.Uid is null ? null : new JsonArray(Object(
            ("apiVersion", TierSchemas.ApiVersion),
            ("kind", tier.Kind.ToString()),
            ("name", tier.Metadata.Name),
            ("uid", tier.Metadata.Uid),
            ("controller", true),
            ("blockOwnerDeletion", true)))));

    public static JsonObject Header(string apiVersion, string kind, JsonObject metadata) => Object(
        ("apiVersion", apiVersion),
        ("kind", kind),
        ("metadata", metadata));
}
