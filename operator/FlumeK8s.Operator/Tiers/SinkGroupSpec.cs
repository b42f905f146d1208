namespace FlumeK8s.Operator.Tiers;

/// <summary>A sink group: its sinks and its processor.</summary>
public sealed record SinkGroupSpec(string Name, IReadOnlyList<string> Sinks, ProcessorSpec? Processor = null);
