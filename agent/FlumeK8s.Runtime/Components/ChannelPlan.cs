using FlumeK8s.Runtime.Channels;

namespace FlumeK8s.Runtime.Components;

/// <summary>A validated channel: its settings (compared on reload) and how to build it.</summary>
public sealed record ChannelPlan(IChannelSettings Settings, Func<ChannelBuild, IChannel> Create);

/// <summary>What a channel is built with.</summary>
public sealed record ChannelBuild(string Name, string Type, AgentServices Services);
