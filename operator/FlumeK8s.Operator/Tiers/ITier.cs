namespace FlumeK8s.Operator.Tiers;

/// <summary>A tier resource of any kind.</summary>
public interface ITier
{
    TierKind Kind { get; }

    TierMetadata Metadata { get; }

    ITierSpec Spec { get; }
}
