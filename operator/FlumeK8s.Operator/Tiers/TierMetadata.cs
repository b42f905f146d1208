namespace FlumeK8s.Operator.Tiers;

/// <summary>The parts of a tier's ObjectMeta the operator uses; the uid is known only for a resource read from a cluster.</summary>
public sealed record TierMetadata(string Name, string? Namespace = null, string? Uid = null, long? Generation = null);
