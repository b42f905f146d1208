namespace FlumeK8s.Operator.Tiers;

/// <summary>A StatefulSet of agents writing to the final stores.</summary>
public sealed record StoreTier(TierMetadata Metadata, StoreTierSpec Spec) : ITier
{
    public TierKind Kind => TierKind.StoreTier;

    ITierSpec ITier.Spec => Spec;

    public ITier With(TierMetadata? metadata = null, ITierSpec? spec = null) =>
        this with { Metadata = metadata ?? Metadata, Spec = (StoreTierSpec?)spec ?? Spec };
}
