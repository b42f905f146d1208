namespace FlumeK8s.Operator.Tiers;

/// <summary>A resource limit or request of a container (downward API).</summary>
public sealed record ResourceFieldSelector(string Resource, string? ContainerName = null, Quantity? Divisor = null);
