using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Topology;

/// <summary>A validated agent configuration: everything needed to build the running topology, nothing built yet.</summary>
public sealed record TopologyPlan(
    IReadOnlyList<ChannelDefinition> Channels,
    IReadOnlyList<SourceDefinition> Sources,
    IReadOnlyList<SinkDefinition> Sinks,
    IReadOnlyList<SinkGroupDefinition> SinkGroups);

public sealed record ChannelDefinition(string Name, string Type, ChannelPlan Plan);

public sealed record SourceDefinition(
    string Name,
    string Type,
    SourcePlan Plan,
    IReadOnlyList<string> Channels,
    Func<IReadOnlyDictionary<string, IChannel>, IChannelSelector> Selector,
    IReadOnlyList<InterceptorPlan> Interceptors,
    RunnerBackoff Backoff);

public sealed record SinkDefinition(string Name, string Type, SinkPlan Plan, string Channel, RunnerBackoff Backoff, int BatchesInFlight = 1);

public sealed record SinkGroupDefinition(
    string Name,
    IReadOnlyList<string> Sinks,
    Func<IReadOnlyList<ISink>, AgentServices, ISinkProcessor> Processor,
    RunnerBackoff Backoff);
