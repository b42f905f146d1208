using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>
/// A plugin class as a component type the configuration can name, one per kind. Reading the
/// configuration builds the class once to validate its settings; the agent builds it again, from the
/// same properties, each time it starts the component.
/// </summary>
internal static class PluginComponentTypes
{
    public static ComponentType<SinkPlan> Sink(PluginType type) => new(type.Alias, context =>
    {
        var batchSize = context.GetInt("batchSize", 100, min: 1);
        type.Validate<ISinkPlugin>(context, counting: true);
        var properties = context.Detached();
        return new SinkPlan(b => new PluginSink(b.Name, b.Type, b.Channel, batchSize, type.Counters,
            c => type.Create<ISinkPlugin>(Settings(properties), c), b.Services), batchSize);
    }, type.ClassNames);

    public static ComponentType<SourcePlan> Source(PluginType type) => new(type.Alias, context =>
    {
        type.Validate<ISourcePlugin>(context, counting: true);
        var properties = context.Detached();
        return new SourcePlan(b => new PluginSource(b, type.Counters, c => type.Create<ISourcePlugin>(Settings(properties), c)));
    }, type.ClassNames);

    public static ComponentType<ChannelPlan> Channel(PluginType type) => new(type.Alias, context =>
    {
        var transactionCapacity = type.Validate<IChannelPlugin>(context, counting: true)?.TransactionCapacity ?? 1;
        var properties = context.Detached();
        return new ChannelPlan(new PluginChannelSettings(type.Type.FullName!, transactionCapacity),
            b => new PluginChannel(b, type.Counters, c => type.Create<IChannelPlugin>(Settings(properties), c)));
    }, type.ClassNames);

    public static ComponentType<InterceptorPlan> Interceptor(PluginType type) => new(type.Alias, context =>
    {
        type.Validate<IInterceptorPlugin>(context, counting: false);
        var properties = context.Detached();
        // The interceptor's own name, from its keys (a1.sources.r1.interceptors.i1.type → i1).
        var name = context.FullKey("").TrimEnd('.').Split('.')[^1];
        return new InterceptorPlan(services => new PluginInterceptor(type.Create<IInterceptorPlugin>(Settings(properties),
            new PluginComponentContext(name, services.AgentName, services.Time, services.Logs, counter: null))));
    }, type.ClassNames);

    private static PluginSettings Settings(ComponentContext properties) => new(properties.Detached());
}
