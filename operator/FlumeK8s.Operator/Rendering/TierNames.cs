using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Rendering;

/// <summary>Names and labels of a tier's objects.</summary>
public static class TierNames
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string InstanceLabel = "app.kubernetes.io/instance";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string TierKindLabel = "flumek8s.io/tier-kind";
    public const string ConfigHashAnnotation = "flumek8s.io/config-hash";
    public const string AppName = "flumek8s";

    public static string ConfigMap(string tier) => tier + "-config";

    /// <summary>The Service whose DNS name lists every Ready pod of the tier: what upstream grpc sinks resolve.</summary>
    public static string HeadlessService(string tier) => tier + "-headless";

    public static string Service(string tier) => tier;

    public static string Workload(string tier) => tier;

    /// <summary>The labels that select a tier's pods: stable for the tier's life (selectors are immutable).</summary>
    public static IReadOnlyDictionary<string, string> Selector(ITier tier) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [NameLabel] = AppName,
        [InstanceLabel] = tier.Metadata.Name,
        [TierKindLabel] = tier.Kind.ToString(),
    };

    /// <summary>The selector as a label-selector string, as the status and the scale subresource report it.</summary>
    public static string SelectorString(ITier tier) => string.Join(',', Selector(tier).Select(l => $"{l.Key}={l.Value}"));

    public static IReadOnlyDictionary<string, string> Labels(ITier tier) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [NameLabel] = AppName,
        [InstanceLabel] = tier.Metadata.Name,
        [TierKindLabel] = tier.Kind.ToString(),
        [ComponentLabel] = tier.Kind switch
        {
            TierKind.AgentTier => "agent",
            TierKind.CollectorTier => "collector",
            _ => "store",
        },
        [ManagedByLabel] = "flumek8s-operator",
    };
}
