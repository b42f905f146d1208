namespace FlumeK8s.Operator.Tiers;

/// <summary>A StatefulSet of collectors with disk buffers, forwarding to a StoreTier or to its own sinks.</summary>
public sealed record CollectorTier(TierMetadata Metadata, CollectorTierSpec Spec) : ITier
{
    public TierKind Kind => TierKind.CollectorTier;

    ITierSpec ITier.Spec => Spec;

    public ITier With(TierMetadata? metadata = null, ITierSpec? spec = null) =>
        this with { Metadata = metadata ?? Metadata, Spec = (CollectorTierSpec?)spec ?? Spec };
}
