namespace FlumeK8s.Operator.Tiers;

/// <summary>A tier resource of any kind.</summary>
public interface ITier
{
    TierKind Kind { get; }

    TierMetadata Metadata { get; }

    ITierSpec Spec { get; }

    /// <summary>The same tier with other metadata or another spec of its own kind.</summary>
    ITier With(TierMetadata? metadata = null, ITierSpec? spec = null);
}
