namespace FlumeK8s.Operator.Tiers;

/// <summary>A tier's Flume flow: structured components plus raw properties for agent <c>agent</c>.</summary>
public sealed record FlowSpec(
    IReadOnlyList<SourceSpec>? Sources = null,
    IReadOnlyList<ComponentSpec>? Channels = null,
    IReadOnlyList<SinkSpec>? Sinks = null,
    IReadOnlyList<SinkGroupSpec>? SinkGroups = null,
    string? Properties = null);
