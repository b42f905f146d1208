using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Channels;

public sealed class MemoryChannelTests
{
    [Fact]
    public async Task Commit_FullChannel_WaitsKeepAliveForRoom()
    {
        var time = new ManualTimeProvider();
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(1, 1, TimeSpan.FromSeconds(3), 1L << 30), time);
        await Put(channel, "first");
        var blocked = Put(channel, "second");
        await Eventually.TrueAsync(() => time.PendingTimers > 0, "the commit to wait for room");
        Assert.False(blocked.IsCompleted);

        using (var take = channel.BeginTransaction())
        {
            take.TakeBatch([], 1);
            await take.CommitAsync(CancellationToken.None);
        }
        await Eventually.Within(blocked);
    }

    [Fact]
    public async Task Commit_FullChannel_FailsAfterKeepAlive()
    {
        var time = new ManualTimeProvider();
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(1, 1, TimeSpan.FromSeconds(3), 1L << 30), time);
        await Put(channel, "first");
        var blocked = Put(channel, "second");
        await Eventually.TrueAsync(() => time.PendingTimers > 0, "the commit to wait for room");
        time.Advance(TimeSpan.FromSeconds(3));
        var error = await Assert.ThrowsAsync<ChannelFullException>(() => Eventually.Within(blocked));
        Assert.Contains("c1", error.Message);
    }

    [Fact]
    public async Task Commit_BeyondByteCapacity_ThrowsChannelFull()
    {
        // 100 bytes, 20% reserved for headers: 80 body bytes fit.
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(100, 10, TimeSpan.Zero, 100, 20));
        await Put(channel, new string('x', 80));
        await Assert.ThrowsAsync<ChannelFullException>(() => Put(channel, "y"));
    }

    [Fact]
    public async Task TryReconfigure_LargerCapacity_KeepsEventsAndTakesMore()
    {
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(1, 1, TimeSpan.Zero, 1L << 30));
        await Put(channel, "kept");
        Assert.True(channel.TryReconfigure(new MemoryChannelSettings(10, 5, TimeSpan.Zero, 1L << 30)));
        await Put(channel, "more");
        Assert.Equal(2, channel.Counter.Size);
        Assert.Equal(10, channel.Counter.Capacity);
    }

    private static async Task Put(IChannel channel, string body)
    {
        using var put = channel.BeginTransaction();
        put.Put(Event.FromText(body));
        await put.CommitAsync(CancellationToken.None);
    }
}
