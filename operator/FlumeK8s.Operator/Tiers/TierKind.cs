namespace FlumeK8s.Operator.Tiers;

/// <summary>The three kinds of tier resource (group flumek8s.io, version v1alpha1).</summary>
public enum TierKind
{
    AgentTier,
    CollectorTier,
    StoreTier,
}
