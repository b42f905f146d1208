namespace FlumeK8s.Operator.Tiers;

/// <summary>A channel or an interceptor: its name, type and Flume properties.</summary>
public sealed record ComponentSpec(string Name, string Type, IReadOnlyDictionary<string, string>? Properties = null);
