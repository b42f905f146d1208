namespace FlumeK8s.Operator.Tiers;

/// <summary>A sink and the channel it takes from.</summary>
public sealed record SinkSpec(string Name, string Type, string Channel, IReadOnlyDictionary<string, string>? Properties = null);
