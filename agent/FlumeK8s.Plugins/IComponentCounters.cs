namespace FlumeK8s.Plugins;

/// <summary>
/// The component's own counters, declared with <see cref="PluginCounterAttribute"/>. Lock-free and
/// allocation-free: count once per batch. The standard counters of the component's kind (events
/// received, drained, …) are kept by the agent.
/// </summary>
public interface IComponentCounters
{
    /// <summary>Adds to a monotonic counter. Throws <see cref="ArgumentException"/> for an undeclared name.</summary>
    void Add(string name, long delta);

    /// <summary>Sets a counter's current value (for a gauge-like figure).</summary>
    void Set(string name, long value);

    long Get(string name);
}
