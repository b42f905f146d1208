using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Plugins;
using FlumeK8s.Runtime.Tests.Channels;

namespace FlumeK8s.Runtime.Tests.Plugins;

/// <summary>A channel written against the plugin API, behind the agent's adapter, honours the whole channel contract.</summary>
public sealed class PluginChannelContractTests : ChannelContractTests
{
    protected override Task<IChannel> CreateAsync(int capacity, int transactionCapacity) =>
        Task.FromResult<IChannel>(new PluginChannel(new ChannelBuild("c1", "queue", AgentServices.ForTests()), [],
            context => new QueuePluginChannel(transactionCapacity, context)));
}
