namespace FlumeK8s.Operator.Tiers;

/// <summary>A source, the channels it writes to, its interceptors and selector.</summary>
public sealed record SourceSpec(
    string Name,
    string Type,
    IReadOnlyList<string> Channels,
    IReadOnlyList<ComponentSpec>? Interceptors = null,
    SelectorSpec? Selector = null,
    IReadOnlyDictionary<string, string>? Properties = null);
