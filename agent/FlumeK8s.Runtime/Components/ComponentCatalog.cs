using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Interceptors;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Components;

/// <summary>Every component type the agent knows, by kind. Each kind's list lives in its own folder's catalog.</summary>
public sealed class ComponentCatalog(
    IReadOnlyList<ComponentType<SourcePlan>> sources,
    IReadOnlyList<ComponentType<ChannelPlan>> channels,
    IReadOnlyList<ComponentType<SinkPlan>> sinks,
    IReadOnlyList<ComponentType<InterceptorPlan>> interceptors)
{
    public static ComponentCatalog Default { get; } =
        new(SourceCatalog.All, ChannelCatalog.All, SinkCatalog.All, InterceptorCatalog.All);

    public IReadOnlyList<ComponentType<SourcePlan>> Sources => sources;

    public IReadOnlyList<ComponentType<ChannelPlan>> Channels => channels;

    public IReadOnlyList<ComponentType<SinkPlan>> Sinks => sinks;

    public IReadOnlyList<ComponentType<InterceptorPlan>> Interceptors => interceptors;

    /// <summary>
    /// Why a type name matches nothing, beyond "unknown" (kind, name → reason or null): plugins say
    /// which class or assembly they lack, or that the class is of another kind.
    /// </summary>
    public Func<string, string, string?>? ExplainUnknown { get; init; }

    /// <summary>
    /// Whether a type name that matches nothing is accepted unchecked instead of refused: where the
    /// configuration is checked away from the agent that runs it (the operator, which cannot load
    /// the plugins a tier's image carries), a plugin class is left for that agent to check at start.
    /// </summary>
    public Func<string, bool>? LeavesUnchecked { get; init; }

    /// <summary>
    /// This catalog, with plugin class names (<c>Company.Logs.MySink</c>, optionally <c>, Company.Logs</c>)
    /// left unchecked; Flume's own class names stay refused when they are not built in.
    /// </summary>
    public ComponentCatalog LeavingPluginClassesUnchecked() => new(sources, channels, sinks, interceptors)
    {
        ExplainUnknown = ExplainUnknown,
        LeavesUnchecked = type => type.Contains('.', StringComparison.Ordinal) && !type.StartsWith("org.apache.flume.", StringComparison.Ordinal),
    };

    /// <summary>Every alias, of every kind: plugins may not take one.</summary>
    public IReadOnlyList<string> Aliases =>
        [.. sources.Select(t => t.Alias), .. channels.Select(t => t.Alias), .. sinks.Select(t => t.Alias), .. interceptors.Select(t => t.Alias)];
}
