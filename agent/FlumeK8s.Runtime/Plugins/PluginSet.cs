using System.Reflection;
using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Components;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>The plugins loaded from a folder: their component classes join the agent's catalog, and they explain a type name the configuration got wrong.</summary>
internal sealed class PluginSet(string directory, IReadOnlyList<(string Path, Assembly Assembly)> assemblies, IReadOnlyList<PluginType> types)
{
    public IReadOnlyList<PluginType> Types => types;

    public ComponentCatalog Extend(ComponentCatalog catalog) => new(
        [.. catalog.Sources, .. Of<ISourcePlugin>().Select(PluginComponentTypes.Source)],
        [.. catalog.Channels, .. Of<IChannelPlugin>().Select(PluginComponentTypes.Channel)],
        [.. catalog.Sinks.Select(WithSerializers), .. Of<ISinkPlugin>().Select(PluginComponentTypes.Sink)],
        [.. catalog.Interceptors, .. Of<IInterceptorPlugin>().Select(PluginComponentTypes.Interceptor)])
    {
        ExplainUnknown = Explain,
    };

    /// <summary>
    /// Why <paramref name="name"/> is not a <paramref name="kind"/> the plugins provide, when it looks like
    /// a plugin class name (<c>Company.Logs.UpperSink</c>, optionally <c>, Company.Logs</c>); null otherwise.
    /// </summary>
    public string? Explain(string kind, string name)
    {
        var comma = name.IndexOf(',');
        var typeName = (comma < 0 ? name : name[..comma]).Trim();
        var assemblyName = comma < 0 ? null : name[(comma + 1)..].Trim();
        foreach (var (path, assembly) in assemblies)
        {
            if (assemblyName is not null && !string.Equals(assembly.GetName().Name, assemblyName, StringComparison.Ordinal))
            {
                continue;
            }
            if (assembly.GetType(typeName) is { } type)
            {
                return type.IsPublic && type.IsClass && !type.IsAbstract
                    ? $"{typeName} (plugin {path}) is not a {kind}: it does not implement FlumeK8s.Plugins.{InterfaceOf(kind)}"
                    : $"{typeName} (plugin {path}) is not a public, non-abstract class";
            }
            if (assemblyName is not null)
            {
                return $"plugin {assemblyName} ({path}) has no type {typeName}";
            }
        }
        if (assemblyName is not null)
        {
            var loaded = assemblies.Count == 0 ? "none" : string.Join(", ", assemblies.Select(a => a.Assembly.GetName().Name));
            return $"no plugin assembly {assemblyName} in the plugins folder {directory} (loaded: {loaded})";
        }
        return null;
    }

    // The sinks that write files name serializers: theirs plus the plugins'.
    private ComponentType<SinkPlan> WithSerializers(ComponentType<SinkPlan> sink) => sink.Alias switch
    {
        "file_roll" => Sinks.SinkCatalog.FileRoll(new PluginSerializers([.. Of<IEventSerializerPlugin>()])),
        "hdfs" => Sinks.Hdfs.HdfsSinkType.Create(new PluginSerializers([.. Of<IEventSerializerPlugin>()])),
        _ => sink,
    };

    private IEnumerable<PluginType> Of<T>() => types.Where(t => typeof(T).IsAssignableFrom(t.Type));

    private static string InterfaceOf(string kind) => kind switch
    {
        "source" => nameof(ISourcePlugin),
        "channel" => nameof(IChannelPlugin),
        "sink" => nameof(ISinkPlugin),
        "serializer" => nameof(IEventSerializerPlugin),
        _ => nameof(IInterceptorPlugin),
    };
}
