namespace FlumeK8s.Operator.Tiers;

/// <summary>A sink group's processor (<c>default</c>, <c>failover</c> or <c>load_balance</c>).</summary>
public sealed record ProcessorSpec(string Type = "default", IReadOnlyDictionary<string, string>? Properties = null);
