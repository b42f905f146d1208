namespace FlumeK8s.Operator.Tiers;

/// <summary>A field of the pod (downward API).</summary>
public sealed record FieldSelector(string FieldPath, string? ApiVersion = null);
