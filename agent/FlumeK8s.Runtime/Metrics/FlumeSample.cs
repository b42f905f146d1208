namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// One measurement of a Flume attribute for one component, as read from its instrument. The value is
/// already text (invariant culture; whole numbers for counts) because every reader writes text.
/// </summary>
internal readonly record struct FlumeSample(FlumeAttribute Attribute, string Component, string ComponentType, string Value)
{
    /// <summary>Flume's key for the component: CHANNEL.c1.</summary>
    public string Key => $"{Attribute.Kind}.{Component}";
}
