using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Tests.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

/// <summary>A reload that changes only sizes applies in place; another database or key is another channel.</summary>
public sealed class JdbcChannelReconfigureTests : IDisposable
{
    private readonly SqliteChannelFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task TryReconfigure_NewCapacity_AppliedInPlaceWithEventsKept()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(capacity: 2, transactionCapacity: 2));
        await ChannelSteps.PutAsync(channel, "1", "2");
        await Assert.ThrowsAsync<ChannelFullException>(() => ChannelSteps.PutAsync(channel, "3"));

        Assert.True(channel.TryReconfigure(_fixture.Settings(capacity: 10, transactionCapacity: 5)));
        Assert.Equal(10, channel.Counter.Capacity);
        Assert.Equal(5, channel.TransactionCapacity);
        await ChannelSteps.PutAsync(channel, "3");
        Assert.Equal(["1", "2", "3"], await ChannelSteps.DrainAsync(channel));
    }

    [Fact]
    public async Task TryReconfigure_OtherChannelIdOrKind_Refused()
    {
        var channel = await _fixture.OpenAsync();
        Assert.False(channel.TryReconfigure(_fixture.Settings() with { ChannelId = "a1.c2" }));
        Assert.False(channel.TryReconfigure(new MemoryChannelSettings()));
    }
}
