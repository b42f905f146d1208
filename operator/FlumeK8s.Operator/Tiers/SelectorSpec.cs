namespace FlumeK8s.Operator.Tiers;

/// <summary>A source's channel selector (<c>replicating</c> or <c>multiplexing</c>).</summary>
public sealed record SelectorSpec(string Type = "replicating", IReadOnlyDictionary<string, string>? Properties = null);
