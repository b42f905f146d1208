using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Components;

/// <summary>
/// A validated sink: how to build it, and its batch size (checked against its channel's
/// transactionCapacity). <paramref name="BatchesMayOverlap"/>: its deliveries are safe to run side
/// by side, so the sink takes the <c>batches-in-flight</c> setting (read once for every such type,
/// by the planner); a sink without it is driven one batch at a time.
/// </summary>
public sealed record SinkPlan(Func<SinkBuild, ISink> Create, int? BatchSize = null, string BatchSizeKey = "batchSize", bool BatchesMayOverlap = false);

/// <summary>What a sink is built with.</summary>
public sealed record SinkBuild(string Name, string Type, IChannel Channel, AgentServices Services);
