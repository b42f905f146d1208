namespace FlumeK8s.Runtime.Metrics;

/// <summary>What an instrument measures in Flume's terms: an attribute (EventPutSuccessCount) of a component kind (CHANNEL).</summary>
internal readonly record struct FlumeAttribute(string Kind, string Name);
