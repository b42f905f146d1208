using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Tests.Channels;

/// <summary>
/// The part of the contract for channels that hold their events themselves and so have a
/// capacity and a size: every channel but Kafka's, whose storage is the broker's.
/// </summary>
public abstract class BoundedChannelContractTests : ChannelContractTests
{
    [Fact]
    public async Task Commit_BeyondCapacity_ThrowsChannelFullAndKeepsContents()
    {
        var channel = await CreateAsync(4, 4);
        await PutAsync(channel, "1", "2", "3");
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "4", "5"));
        Assert.Equal(["1", "2", "3"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Prepare_BeyondCapacity_RefusesBeforeCommitAndKeepsContents()
    {
        var channel = await CreateAsync(4, 4);
        await PutAsync(channel, "1", "2", "3");
        using var put = channel.BeginTransaction();
        put.PutBatch([Event.FromText("4"), Event.FromText("5")]);
        await Assert.ThrowsAsync<ChannelFullException>(() => put.PrepareAsync(CancellationToken.None).AsTask());
        Assert.Equal(["1", "2", "3"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Prepare_HoldsRoomUntilRollback()
    {
        var channel = await CreateAsync(4, 4);
        using (var held = channel.BeginTransaction())
        {
            held.PutBatch([Event.FromText("1"), Event.FromText("2"), Event.FromText("3")]);
            Assert.True(await held.PrepareAsync(CancellationToken.None));
            await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "4", "5"));
            held.Rollback();
        }
        await PutAsync(channel, "4", "5", "6", "7");
        Assert.Equal(["4", "5", "6", "7"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Prepare_HeldRoomPassesToTheCommittedEvents()
    {
        var channel = await CreateAsync(4, 4);
        using (var put = channel.BeginTransaction())
        {
            put.PutBatch([Event.FromText("1"), Event.FromText("2"), Event.FromText("3")]);
            await put.PrepareAsync(CancellationToken.None);
            await put.CommitAsync(CancellationToken.None);
        }
        // Counted once: neither released at commit nor counted again.
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "4", "5"));
        Assert.Equal(["1", "2", "3"], await TakeAsync(channel, 10));
        await PutAsync(channel, "4", "5", "6", "7");
        Assert.Equal(4, channel.Counter.Size);
    }

    [Fact]
    public async Task Capacity_CountsEventsTakenButNotCommitted()
    {
        var channel = await CreateAsync(2, 2);
        await PutAsync(channel, "1", "2");
        using var take = channel.BeginTransaction();
        Assert.Equal(2, take.TakeBatch([], 2));
        // The taken events may come back on rollback, so their room is not free yet.
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "3"));
        take.Rollback();
        Assert.Equal(["1", "2"], await TakeAsync(channel, 10));
        await PutAsync(channel, "3");
    }

    [Fact]
    public async Task EventsHeld_TakenButNotCommitted_StillCounted()
    {
        var channel = await CreateAsync(100, 10);
        await PutAsync(channel, "1", "2", "3");
        using var take = channel.BeginTransaction();
        Assert.Equal(2, take.TakeBatch([], 2));
        Assert.Equal(1, channel.Counter.Size);
        Assert.Equal(3, channel.EventsHeld);
        take.Rollback();
        Assert.Equal(3, channel.EventsHeld);
    }

    [Fact]
    public async Task EventsHeld_TakeCommitted_Released()
    {
        var channel = await CreateAsync(100, 10);
        await PutAsync(channel, "1", "2", "3");
        await TakeAsync(channel, 2);
        Assert.Equal(1, channel.EventsHeld);
        await TakeAsync(channel, 10);
        Assert.Equal(0, channel.EventsHeld);
    }

    [Fact]
    public async Task Counters_CountCommittedPutsAndTakes()
    {
        var channel = await CreateAsync(100, 10);
        await PutAsync(channel, "1", "2", "3");
        Assert.Equal(3, channel.Counter.Size);
        await TakeAsync(channel, 2);
        Assert.Equal(3, channel.Counter.PutSuccesses);
        Assert.Equal(2, channel.Counter.TakeSuccesses);
        Assert.Equal(1, channel.Counter.Size);
        Assert.Equal(100, channel.Counter.Capacity);
    }
}
