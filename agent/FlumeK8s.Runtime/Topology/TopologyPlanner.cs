using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Runners;

namespace FlumeK8s.Runtime.Topology;

/// <summary>
/// Turns an agent's configuration into a <see cref="TopologyPlan"/>, checking every rule Flume
/// checks (and the ones it silently "fixes" by dropping components) and reporting all problems at
/// once. Nothing is built here, so validation has no side effects.
/// </summary>
public static class TopologyPlanner
{
    public static TopologyPlan Plan(AgentConfiguration config, ComponentCatalog catalog, ConfigProblems problems)
    {
        var channels = new List<ChannelDefinition>();
        foreach (var section in config.Channels)
        {
            var type = Resolve(section, catalog.Channels, "channel", catalog);
            if (type is not null)
            {
                channels.Add(new ChannelDefinition(section.Name, type.Alias, type.Configure(section.Context)));
            }
        }
        var channelNames = config.Channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        // Batch sizes are checked only against a transactionCapacity that was given validly: a
        // refused one is reported already, and its stand-in default would make batches look too big.
        var sized = channels.Where(c => !config.Channels.First(s => s.Name == c.Name).Context.HasError("transactionCapacity")).ToList();
        var sources = config.Sources.Select(s => PlanSource(s, catalog, channelNames, sized)).OfType<SourceDefinition>().ToList();
        var sinks = config.Sinks.Select(s => PlanSink(s, catalog, channelNames, sized)).OfType<SinkDefinition>().ToList();
        var groups = PlanGroups(config, problems);

        if (config.Channels.Count == 0 && !config.IsEmpty)
        {
            problems.Error($"{config.AgentName}.channels", 0, "the agent has no channels");
        }
        if (config.Sources.Count == 0 && config.Sinks.Count == 0 && !config.IsEmpty)
        {
            problems.Error($"{config.AgentName}.sources", 0, "the agent has neither sources nor sinks");
        }
        WarnAboutUnusedChannels(config, channels, sources, sinks, problems);
        foreach (var section in config.Sources.Concat(config.Channels).Concat(config.Sinks).Concat(config.SinkGroups))
        {
            foreach (var entry in section.Context.UnusedEntries())
            {
                problems.Warning(entry.Key, entry.Line, $"no property of {section.Type ?? "this component"} is called this; ignored");
            }
        }
        return new TopologyPlan(channels, sources, sinks, groups);
    }

    private static ComponentType<TPlan>? Resolve<TPlan>(ComponentSection section, IReadOnlyList<ComponentType<TPlan>> types, string kind, ComponentCatalog catalog)
    {
        var type = section.Context.Require("type");
        if (type.Length == 0)
        {
            return null;
        }
        var match = types.FirstOrDefault(t => t.Matches(type));
        if (match is null)
        {
            Unknown(section.Context, catalog, kind, type, types);
        }
        return match;
    }

    private static void Unknown<TPlan>(ComponentContext context, ComponentCatalog catalog, string kind, string type, IReadOnlyList<ComponentType<TPlan>> types)
    {
        if (catalog.LeavesUnchecked?.Invoke(type) == true)
        {
            // Its properties are the plugin's to judge: none is reported as unused.
            context.GetPrefixed("");
            context.Warning("type", $"'{type}' is no built-in {kind}: taken to be a plugin class, which the agent checks when it starts");
            return;
        }
        context.Error("type", UnknownType(catalog, kind, type, types));
    }

    private static string UnknownType<TPlan>(ComponentCatalog catalog, string kind, string type, IReadOnlyList<ComponentType<TPlan>> types) =>
        catalog.ExplainUnknown?.Invoke(kind, type) is { } reason
            ? $"unknown {kind} type '{type}': {reason}"
            : $"unknown {kind} type '{type}'; known types: {string.Join(", ", types.Select(t => t.Alias))}";

    private static SourceDefinition? PlanSource(ComponentSection section, ComponentCatalog catalog,
        HashSet<string> channelNames, List<ChannelDefinition> channels)
    {
        var context = section.Context;
        var type = Resolve(section, catalog.Sources, "source", catalog);
        var attached = context.GetList("channels");
        if (attached.Count == 0)
        {
            context.Error("channels", "required property is missing: a source lists the channels it writes to");
        }
        foreach (var name in attached.Where(n => !channelNames.Contains(n)))
        {
            context.Error("channels", $"channel '{name}' is not defined in the agent's channels");
        }
        var selector = PlanSelector(context.Scope("selector."), attached);
        var interceptors = PlanInterceptors(context, catalog);
        var backoff = RunnerBackoff.Read(context);
        if (type is null)
        {
            return null;
        }
        var plan = type.Configure(context);
        CheckBatchSize(context, plan.BatchSize, plan.BatchSizeKey, attached, channels);
        return new SourceDefinition(section.Name, type.Alias, plan, attached, selector, interceptors, backoff);
    }

    private static SinkDefinition? PlanSink(ComponentSection section, ComponentCatalog catalog,
        HashSet<string> channelNames, List<ChannelDefinition> channels)
    {
        var context = section.Context;
        var type = Resolve(section, catalog.Sinks, "sink", catalog);
        var channel = context.Require("channel");
        if (channel.Length > 0 && !channelNames.Contains(channel))
        {
            context.Error("channel", $"channel '{channel}' is not defined in the agent's channels");
        }
        var backoff = RunnerBackoff.Read(context);
        if (type is null)
        {
            return null;
        }
        var plan = type.Configure(context);
        CheckBatchSize(context, plan.BatchSize, plan.BatchSizeKey, [channel], channels);
        var batchesInFlight = plan.BatchesMayOverlap ? BatchesInFlightSetting.Read(context) : 1;
        return new SinkDefinition(section.Name, type.Alias, plan, channel, backoff, batchesInFlight);
    }

    private static void CheckBatchSize(ComponentContext context, int? batchSize, string key, IEnumerable<string> attached, List<ChannelDefinition> channels)
    {
        if (batchSize is not { } size)
        {
            return;
        }
        foreach (var channel in channels.Where(c => attached.Contains(c.Name)))
        {
            if (size > channel.Plan.Settings.TransactionCapacity)
            {
                context.Error(key, $"batch size {size} is larger than the transactionCapacity {channel.Plan.Settings.TransactionCapacity} of channel '{channel.Name}'");
            }
        }
    }

    private static Func<IReadOnlyDictionary<string, IChannel>, IChannelSelector> PlanSelector(ComponentContext context, IReadOnlyList<string> attached)
    {
        var type = context.GetChoice("type", "replicating", "replicating", "multiplexing");
        IReadOnlyList<string> Names(string key)
        {
            var names = context.GetList(key);
            foreach (var name in names.Where(n => !attached.Contains(n)))
            {
                context.Error(key, $"channel '{name}' is not one of this source's channels ({string.Join(" ", attached)})");
            }
            return names;
        }
        if (type == "replicating")
        {
            var optional = Names("optional");
            var required = attached.Except(optional).ToList();
            return map => new ReplicatingSelector([.. required.Select(n => map[n])], [.. optional.Select(n => map[n])]);
        }
        var header = context.GetString("header", MultiplexingSelector.DefaultHeader);
        var mapping = context.GetPrefixed("mapping.").Keys.ToDictionary(v => v, v => Names("mapping." + v));
        var optionalMapping = context.GetPrefixed("optional.").Keys.ToDictionary(v => v, v => Names("optional." + v));
        var defaults = Names("default");
        return map => new MultiplexingSelector(
            header,
            mapping.ToDictionary(m => m.Key, m => (IReadOnlyList<IChannel>)[.. m.Value.Select(n => map[n])]),
            optionalMapping.ToDictionary(m => m.Key, m => (IReadOnlyList<IChannel>)[.. m.Value.Select(n => map[n])]),
            [.. defaults.Select(n => map[n])]);
    }

    private static List<InterceptorPlan> PlanInterceptors(ComponentContext context, ComponentCatalog catalog)
    {
        var plans = new List<InterceptorPlan>();
        foreach (var name in context.GetList("interceptors"))
        {
            var scope = context.Scope($"interceptors.{name}.");
            var type = scope.Require("type");
            if (type.Length == 0)
            {
                continue;
            }
            var match = catalog.Interceptors.FirstOrDefault(t => t.Matches(type));
            if (match is null)
            {
                Unknown(scope, catalog, "interceptor", type, catalog.Interceptors);
                continue;
            }
            plans.Add(match.Configure(scope));
        }
        return plans;
    }

    private static List<SinkGroupDefinition> PlanGroups(AgentConfiguration config, ConfigProblems problems)
    {
        var sinkNames = config.Sinks.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var claimedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = new List<SinkGroupDefinition>();
        foreach (var section in config.SinkGroups)
        {
            var context = section.Context;
            var sinks = context.GetList("sinks");
            if (sinks.Count == 0)
            {
                context.Error("sinks", "required property is missing: a sink group lists its sinks");
            }
            foreach (var sink in sinks)
            {
                if (!sinkNames.Contains(sink))
                {
                    context.Error("sinks", $"sink '{sink}' is not defined in the agent's sinks");
                }
                else if (claimedBy.TryGetValue(sink, out var other))
                {
                    context.Error("sinks", $"sink '{sink}' is already in sink group '{other}'; a sink belongs to one group at most");
                }
                else
                {
                    claimedBy[sink] = section.Name;
                }
            }
            var processor = SinkProcessorPlanner.Plan(context.Scope("processor."), sinks);
            groups.Add(new SinkGroupDefinition(section.Name, sinks, processor, RunnerBackoff.Read(context)));
        }
        return groups;
    }

    private static void WarnAboutUnusedChannels(AgentConfiguration config, List<ChannelDefinition> planned, List<SourceDefinition> sources,
        List<SinkDefinition> sinks, ConfigProblems problems)
    {
        var keepNothing = planned.Where(c => !c.Plan.Settings.HoldsEvents).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var channel in config.Channels)
        {
            var written = sources.Any(s => s.Channels.Contains(channel.Name));
            var drained = sinks.Any(s => s.Channel == channel.Name);
            if (!written && !drained)
            {
                problems.Warning(channel.Context.FullPrefix + "type", channel.Context.Line, $"channel '{channel.Name}' has no source and no sink");
            }
            else if (written && !drained && !keepNothing.Contains(channel.Name))
            {
                problems.Warning(channel.Context.FullPrefix + "type", channel.Context.Line, $"channel '{channel.Name}' has no sink: it will fill up and then refuse events");
            }
        }
    }
}
