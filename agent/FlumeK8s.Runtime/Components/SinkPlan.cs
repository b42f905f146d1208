using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Components;

/// <summary>A validated sink: how to build it, and its batch size (checked against its channel's transactionCapacity).</summary>
public sealed record SinkPlan(Func<SinkBuild, ISink> Create, int? BatchSize = null, string BatchSizeKey = "batchSize");

/// <summary>What a sink is built with.</summary>
public sealed record SinkBuild(string Name, string Type, IChannel Channel, AgentServices Services);
