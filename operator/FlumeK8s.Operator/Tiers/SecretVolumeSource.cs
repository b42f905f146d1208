namespace FlumeK8s.Operator.Tiers;

/// <summary>A Secret of the tier's namespace as a volume (credentials, certificates).</summary>
public sealed record SecretVolumeSource(string SecretName, bool? Optional = null, int? DefaultMode = null);
