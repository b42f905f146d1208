namespace FlumeK8s.Operator.Tiers;

/// <summary>A StatefulSet of collectors with disk buffers, forwarding to a StoreTier or to its own sinks.</summary>
public sealed record CollectorTier(TierMetadata Metadata, CollectorTierSpec Spec) : ITier
{
    public TierKind Kind => TierKind.CollectorTier;

    ITierSpec ITier.Spec => Spec;
}
