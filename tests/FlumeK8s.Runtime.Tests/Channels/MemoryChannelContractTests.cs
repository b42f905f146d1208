using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;

namespace FlumeK8s.Runtime.Tests.Channels;

public sealed class MemoryChannelContractTests : BoundedChannelContractTests
{
    protected override Task<IChannel> CreateAsync(int capacity, int transactionCapacity) =>
        Task.FromResult<IChannel>(new MemoryChannel("c1", new MemoryChannelSettings(capacity, transactionCapacity, TimeSpan.Zero, 1L << 30)));
}
