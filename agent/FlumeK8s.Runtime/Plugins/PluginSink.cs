using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>A plugin's <see cref="ISinkPlugin"/> as an agent sink: the agent takes, counts and commits; the plugin delivers.</summary>
internal sealed class PluginSink : Sinks.BatchSink, ILifecycle
{
    private readonly ISinkPlugin _plugin;

    public PluginSink(string name, string type, IChannel channel, int batchSize, IReadOnlyList<string> counters, Func<PluginComponentContext, ISinkPlugin> create,
        Components.AgentServices services)
        : base(name, type, channel, batchSize, counters)
    {
        _plugin = create(new PluginComponentContext(name, services.AgentName, services.Time, services.Logs, Counter));
    }

    public Task StartAsync(CancellationToken cancellationToken) => _plugin.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => PluginLifecycle.StopAndDisposeAsync(_plugin, cancellationToken);

    // The agent's events are the API's events: the batch goes to the plugin as it is.
    protected override ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken) =>
        _plugin.DeliverAsync(batch, cancellationToken);
}
