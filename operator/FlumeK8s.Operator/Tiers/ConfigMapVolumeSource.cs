namespace FlumeK8s.Operator.Tiers;

/// <summary>A ConfigMap of the tier's namespace as a volume (e.g. an interceptor's or a serializer's files).</summary>
public sealed record ConfigMapVolumeSource(string Name, bool? Optional = null, int? DefaultMode = null);
