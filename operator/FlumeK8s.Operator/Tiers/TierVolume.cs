namespace FlumeK8s.Operator.Tiers;

/// <summary>An extra volume of the agent container: a node directory or an existing claim.</summary>
public sealed record TierVolume(string Name, string MountPath, bool ReadOnly = false, string? HostPath = null, string? ClaimName = null);
