using FlumeK8s.Plugins;

// This test assembly is also a plugin (PluginLoaderTests loads it from its output folder): its only
// public component class takes an alias that a built-in type has, which the loader must refuse.
[assembly: PluginApiVersion(PluginApi.Major, PluginApi.Minor)]

namespace FlumeK8s.Runtime.Tests.Plugins;

[PluginAlias("memory")]
public sealed class AliasClashSink : ISinkPlugin
{
    public ValueTask DeliverAsync(IReadOnlyList<IEvent> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
