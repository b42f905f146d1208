namespace FlumeK8s.Operator.Tiers;

/// <summary>A scratch directory that lives as long as the pod (<c>Memory</c> medium: a tmpfs).</summary>
public sealed record EmptyDirVolumeSource(string? Medium = null, Quantity? SizeLimit = null);
