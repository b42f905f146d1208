namespace FlumeK8s.Operator.Tiers;

/// <summary>A key of a ConfigMap or Secret.</summary>
public sealed record KeySelector(string Key, string? Name = null, bool? Optional = null);
