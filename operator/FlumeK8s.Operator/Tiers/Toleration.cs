namespace FlumeK8s.Operator.Tiers;

/// <summary>A pod toleration, as in core/v1.</summary>
public sealed record Toleration(string? Key = null, string? Operator = null, string? Value = null, string? Effect = null, long? TolerationSeconds = null);
