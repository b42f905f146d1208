namespace FlumeK8s.Operator.Tiers;

/// <summary>Compute resources of the agent container.</summary>
public sealed record ResourceRequirements(
    IReadOnlyDictionary<string, Quantity>? Limits = null,
    IReadOnlyDictionary<string, Quantity>? Requests = null);
