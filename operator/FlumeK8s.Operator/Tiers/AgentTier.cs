namespace FlumeK8s.Operator.Tiers;

/// <summary>Agents on every node (DaemonSet) or in a Deployment, usually forwarding to a CollectorTier.</summary>
public sealed record AgentTier(TierMetadata Metadata, AgentTierSpec Spec) : ITier
{
    public TierKind Kind => TierKind.AgentTier;

    ITierSpec ITier.Spec => Spec;

    public ITier With(TierMetadata? metadata = null, ITierSpec? spec = null) =>
        this with { Metadata = metadata ?? Metadata, Spec = (AgentTierSpec?)spec ?? Spec };
}
