namespace FlumeK8s.Operator.Tiers;

/// <summary>A tier of StatefulSet pods, each with its own claim: collectors and stores, which a scale-down drains.</summary>
public interface IClaimTierSpec : ITierSpec
{
    ClaimStorage? Storage { get; }

    /// <summary>How long a drain may go without an event leaving before the tier says DrainBlocked.</summary>
    int DrainStallSeconds { get; }

    /// <summary>Deleting the tier drains it first (a finalizer), unless false.</summary>
    bool DrainOnDelete { get; }
}
