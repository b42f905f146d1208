namespace FlumeK8s.Plugins;

/// <summary>
/// A counter of the component's own, reported beside the standard ones of its kind under this name in
/// <c>/metrics</c> and, in snake case, in Prometheus (<c>UpperCasedCount</c> → <c>flume_sink_upper_cased_count</c>).
/// Declared up front so every exporter knows it from the start; <see cref="IComponentCounters"/> updates it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PluginCounterAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
