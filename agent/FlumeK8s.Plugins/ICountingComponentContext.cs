namespace FlumeK8s.Plugins;

/// <summary>The context of a source, channel or sink: the agent reports their counters.</summary>
public interface ICountingComponentContext : IComponentContext
{
    IComponentCounters Counters { get; }
}
