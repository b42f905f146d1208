using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tiers;
using static FlumeK8s.Operator.Rendering.Objects.JsonBuild;

namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// The agent container's environment: the pod's name, namespace and node from the downward API (so a
/// flow can write <c>${env:POD_NAME}</c>, e.g. one output directory per pod), then the tier's own
/// variables, which win over ours when they share a name.
/// </summary>
internal static class PodEnvironment
{
    public const string PodName = "POD_NAME";
    public const string PodNamespace = "POD_NAMESPACE";
    public const string NodeName = "NODE_NAME";

    public static JsonArray Build(TierPodSpec spec)
    {
        var own = (spec.Env ?? []).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var result = new JsonArray();
        foreach (var (name, field) in new[] { (PodName, "metadata.name"), (PodNamespace, "metadata.namespace"), (NodeName, "spec.nodeName") })
        {
            if (!own.Contains(name))
            {
                result.Add(Object(("name", name), ("valueFrom", Object(("fieldRef", Object(("apiVersion", "v1"), ("fieldPath", field)))))));
            }
        }
        foreach (var variable in spec.Env ?? [])
        {
            result.Add(Object(("name", variable.Name), ("value", variable.Value), ("valueFrom", Source(variable.ValueFrom))));
        }
        return result;
    }

    private static JsonObject? Source(EnvVarSource? source) => source is null ? null : Object(
        ("fieldRef", source.FieldRef is { } f ? Object(("apiVersion", f.ApiVersion), ("fieldPath", f.FieldPath)) : null),
        ("resourceFieldRef", source.ResourceFieldRef is { } r
            ? Object(("containerName", r.ContainerName), ("resource", r.Resource), ("divisor", r.Divisor?.Value))
            : null),
        ("configMapKeyRef", Key(source.ConfigMapKeyRef)),
        ("secretKeyRef", Key(source.SecretKeyRef)));

    private static JsonObject? Key(KeySelector? key) => key is null ? null : Object(
        ("name", key.Name), ("key", key.Key), ("optional", key.Optional));
}
