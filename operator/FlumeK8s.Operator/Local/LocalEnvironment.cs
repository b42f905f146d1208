using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// The environment a local process gets on top of the shell's, as its pod would have it: POD_NAME,
/// POD_NAMESPACE and NODE_NAME, then the tier's <c>env</c>. Downward-API fields with a local meaning
/// are resolved; a value from a Secret, a ConfigMap or a resource limit has none, so it is left to
/// the shell (export it to pass it through) and reported.
/// </summary>
internal static class LocalEnvironment
{
    public static IReadOnlyDictionary<string, string> Build(ITier tier, string pod, string node, List<string> notes)
    {
        var ns = tier.Metadata.Namespace ?? TierReader.DefaultNamespace;
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PodEnvironment.PodName] = pod,
            [PodEnvironment.PodNamespace] = ns,
            [PodEnvironment.NodeName] = node,
        };
        foreach (var variable in tier.Spec.Pod.Env ?? [])
        {
            if (variable.ValueFrom is null)
            {
                result[variable.Name] = variable.Value ?? "";
                continue;
            }
            var value = variable.ValueFrom.FieldRef?.FieldPath switch
            {
                "metadata.name" => pod,
                "metadata.namespace" => ns,
                "spec.nodeName" => node,
                "status.podIP" or "status.hostIP" or "status.podIPs" or "status.hostIPs" => LocalPlacement.Loopback,
                "spec.serviceAccountName" => tier.Spec.Pod.ServiceAccountName ?? "default",
                _ => null,
            };
            if (value is not null)
            {
                result[variable.Name] = value;
                continue;
            }
            result.Remove(variable.Name);
            var note = $"{tier.Kind} {ns}/{tier.Metadata.Name}: env {variable.Name} comes from {Origin(variable.ValueFrom)}, which has no local value; "
                + (Environment.GetEnvironmentVariable(variable.Name) is null ? "it is unset (export it to set it)" : "the shell's value is used");
            if (!notes.Contains(note))
            {
                notes.Add(note);
            }
        }
        return result;
    }

    private static string Origin(EnvVarSource source) => source switch
    {
        { SecretKeyRef: { } s } => $"Secret {s.Name} key {s.Key}",
        { ConfigMapKeyRef: { } c } => $"ConfigMap {c.Name} key {c.Key}",
        { ResourceFieldRef: { } r } => $"the container's {r.Resource}",
        { FieldRef: { } f } => $"the pod's {f.FieldPath}",
        _ => "nowhere",
    };
}
