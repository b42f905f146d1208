namespace FlumeK8s.Operator.Tiers;

/// <summary>Settings of the grpc source on port 4141 that a collector or store tier receives on.</summary>
public sealed record HopSource(
    IReadOnlyList<string>? Channels = null,
    IReadOnlyList<ComponentSpec>? Interceptors = null,
    SelectorSpec? Selector = null,
    IReadOnlyDictionary<string, string>? Properties = null);
