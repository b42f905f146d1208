namespace FlumeK8s.Operator.Tiers;

/// <summary>An AgentTier's state directory on the node (DaemonSet mode).</summary>
public sealed record AgentStorage(string? HostPath = null);
