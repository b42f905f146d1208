namespace FlumeK8s.Operator.Tiers;

/// <summary>An AgentTier's state directory on the node (DaemonSet mode); <paramref name="ChownVolumes"/>: see <see cref="ITierSpec.ChownVolumes"/>.</summary>
public sealed record AgentStorage(string? HostPath = null, bool ChownVolumes = false);
