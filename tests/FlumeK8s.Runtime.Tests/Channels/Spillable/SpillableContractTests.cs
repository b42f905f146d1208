using FlumeK8s.Runtime.Channels;

namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

/// <summary>The channel contract for spillablememory; each subclass splits the capacity between memory and overflow differently.</summary>
public abstract class SpillableContractTests : BoundedChannelContractTests, IDisposable
{
    private readonly SpillableChannelFixture _fixture = new();
    private int _stores;

    /// <summary>How a total capacity is split into memoryCapacity and overflowCapacity.</summary>
    protected abstract (int Memory, int Overflow) Split(int capacity);

    protected override async Task<IChannel> CreateAsync(int capacity, int transactionCapacity)
    {
        var (memory, overflow) = Split(capacity);
        var channel = await _fixture.OpenAsync(_fixture.Settings(memory, overflow, transactionCapacity, $"store{++_stores}"));
        Assert.Null(channel.UnhealthyReason);
        return channel;
    }

    public void Dispose() => _fixture.Dispose();
}
