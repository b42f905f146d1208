using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Components;

/// <summary>A validated source: how to build it, and its batch size (checked against its channels' transactionCapacity).</summary>
public sealed record SourcePlan(Func<SourceBuild, ISource> Create, int? BatchSize = null, string BatchSizeKey = "batchSize");

/// <summary>What a source is built with.</summary>
public sealed record SourceBuild(string Name, string Type, ChannelProcessor Processor, AgentServices Services);
