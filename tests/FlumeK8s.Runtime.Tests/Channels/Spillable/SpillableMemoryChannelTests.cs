using System.Text;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Spillable;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Channels.Spillable;

public sealed class SpillableMemoryChannelTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly SpillableChannelFixture _fixture = new();

    [Fact]
    public async Task Take_AcrossMemoryOverflowMemory_ReturnsPutOrder()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 3, overflowCapacity: 100));
        await PutAsync(channel, "a1", "a2", "a3", "a4", "a5"); // three fit in memory, two overflow
        AssertStores(channel, memory: 3, overflow: 2);
        await PutAsync(channel, "b1", "b2");                   // memory is full: overflow
        AssertStores(channel, memory: 3, overflow: 4);

        Assert.Equal(["a1", "a2"], await TakeAsync(channel, 2));
        await PutAsync(channel, "c1", "c2");                   // memory has room again
        AssertStores(channel, memory: 3, overflow: 4);

        Assert.Equal(["a3", "a4", "a5", "b1", "b2", "c1", "c2"], await TakeAsync(channel, 100));
        AssertStores(channel, memory: 0, overflow: 0);
        Assert.Equal(0, channel.Counter.Size);
    }

    [Fact]
    public async Task Rollback_TakeSpanningBothStores_ReturnsEverythingInOrder()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 2, overflowCapacity: 100));
        await PutAsync(channel, "1", "2", "3", "4", "5", "6");
        Assert.Equal(["1"], await TakeAsync(channel, 1));
        await PutAsync(channel, "7");                          // order is now memory 2, overflow 3-6, memory 7
        AssertStores(channel, memory: 2, overflow: 4);

        using (var take = channel.BeginTransaction())
        {
            var taken = new List<Event>();
            Assert.Equal(3, take.TakeBatch(taken, 3));
            Assert.Equal(3, take.TakeBatch(taken, 10));
            Assert.Equal(["2", "3", "4", "5", "6", "7"], Bodies(taken));
            Assert.Equal(0, channel.Counter.Size);
            take.Rollback();
        }
        AssertStores(channel, memory: 2, overflow: 4);
        Assert.Equal(["2", "3", "4", "5", "6", "7"], await TakeAsync(channel, 100));
    }

    [Fact]
    public async Task Commit_TakeSpanningBothStores_FreesBothStores()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 2, overflowCapacity: 3, transactionCapacity: 5));
        await PutAsync(channel, "1", "2", "3", "4", "5");
        await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "full"));
        Assert.Equal(["1", "2", "3", "4", "5"], await TakeAsync(channel, 5));
        await PutAsync(channel, "6", "7", "8", "9", "10");
        AssertStores(channel, memory: 2, overflow: 3);
        Assert.Equal(5, channel.Counter.PutSuccesses - channel.Counter.TakeSuccesses);
    }

    [Fact]
    public async Task Rollback_ConcurrentTakersAcrossStores_LoseNothing()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 4, overflowCapacity: 100));
        await PutAsync(channel, "1", "2", "3", "4", "5", "6", "7", "8");
        var first = channel.BeginTransaction();
        var second = channel.BeginTransaction();
        first.TakeBatch([], 3);                                // memory 1-3
        second.TakeBatch([], 3);                               // memory 4, overflow 5-6
        second.Rollback();
        first.Rollback();
        first.Dispose();
        second.Dispose();
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8"], await TakeAsync(channel, 100));
    }

    [Fact]
    public async Task Put_ByteCapacityReached_OverflowsTheRest()
    {
        var settings = _fixture.Settings(memoryCapacity: 100, overflowCapacity: 100) with { ByteCapacity = 100, ByteCapacityBufferPercentage = 0 };
        var channel = await _fixture.OpenAsync(settings);
        var body = new string('x', 40);
        await PutAsync(channel, body + "1", body + "2", body + "3");
        AssertStores(channel, memory: 2, overflow: 1);
        Assert.Equal([body + "1", body + "2", body + "3"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Put_MemoryFull_WaitsOverflowTimeoutOnceThenOverflows()
    {
        var time = new ManualTimeProvider();
        var settings = _fixture.Settings(memoryCapacity: 2, overflowCapacity: 10) with { OverflowTimeout = TimeSpan.FromSeconds(3) };
        var channel = await _fixture.OpenAsync(settings, time: time);
        await PutAsync(channel, "1", "2");
        var timers = time.PendingTimers;

        var waiting = PutAsync(channel, "3");
        await Eventually.TrueAsync(() => time.PendingTimers > timers, "the put waits for memory");
        Assert.False(waiting.IsCompleted);
        Assert.Equal(["1"], await TakeAsync(channel, 1));      // frees memory: the put lands there
        await Eventually.Within(waiting);
        AssertStores(channel, memory: 2, overflow: 0);

        var spilling = PutAsync(channel, "4");
        await Eventually.TrueAsync(() => time.PendingTimers > timers, "the put waits for memory");
        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.Within(spilling);
        AssertStores(channel, memory: 2, overflow: 1);

        await Eventually.Within(PutAsync(channel, "5"));       // already overflowing: no second wait
        AssertStores(channel, memory: 2, overflow: 2);
        Assert.Equal(["2", "3", "4", "5"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Restart_AfterCrash_KeepsOverflowedEventsAndLosesOnlyMemoryOnes()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 2, overflowCapacity: 100, directory: "live"));
        await PutAsync(channel, "1", "2", "3", "4", "5");
        Assert.Equal(["1"], await TakeAsync(channel, 1));
        using var inFlight = channel.BeginTransaction();
        Assert.Equal(2, inFlight.TakeBatch([], 2));            // "2" from memory, "3" from disk, never committed

        _fixture.CopyStore("live", "crashed");
        var restarted = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 2, overflowCapacity: 100, directory: "crashed"));

        Assert.Null(restarted.UnhealthyReason);
        Assert.Equal(3, restarted.Counter.Size);
        AssertStores(restarted, memory: 0, overflow: 3);
        await PutAsync(restarted, "6");
        Assert.Equal(["3", "4", "5", "6"], await TakeAsync(restarted, 10));
    }

    [Fact]
    public async Task Restart_AfterStop_KeepsOverflowedEvents()
    {
        var settings = _fixture.Settings(memoryCapacity: 2, overflowCapacity: 100);
        var channel = await _fixture.OpenAsync(settings);
        await PutAsync(channel, "m1", "m2", "d1", "d2");
        await channel.StopAsync(None);

        var restarted = await _fixture.OpenAsync(settings);
        Assert.Equal(["d1", "d2"], await TakeAsync(restarted, 10));
    }

    [Fact]
    public async Task CommitTakes_OverflowWriteFails_RollsBackBothAndDiskKeepsItsEvents()
    {
        var storage = new FailingStorage();
        var settings = _fixture.Settings(memoryCapacity: 2, overflowCapacity: 100);
        var channel = await _fixture.OpenAsync(settings, storage);
        await PutAsync(channel, "1", "2", "3", "4");

        var take = channel.BeginTransaction();
        Assert.Equal(4, take.TakeBatch([], 10));
        storage.FailWrites = true;
        await Assert.ThrowsAsync<ChannelException>(async () => await take.CommitAsync(None));
        take.Dispose();

        Assert.NotNull(channel.UnhealthyReason);
        Assert.Equal(4, channel.Counter.Size);
        Assert.Equal(["1", "2"], await TakeAsync(channel, 10)); // memory still serves up to the disk run
        Assert.Throws<ChannelException>(() => channel.BeginTransaction().TakeBatch([], 10));

        await channel.StopAsync(None);
        var restarted = await _fixture.OpenAsync(settings);
        Assert.Equal(["3", "4"], await TakeAsync(restarted, 10)); // the take never reached the log: delivered again
    }

    [Fact]
    public async Task CommitPuts_OverflowFull_RefusesWholeTransactionAndFreesMemory()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 2, overflowCapacity: 2));
        await PutAsync(channel, "1", "2", "3");
        Assert.Equal(["1"], await TakeAsync(channel, 1));      // one memory slot free, one disk slot free
        var full = await Assert.ThrowsAsync<ChannelFullException>(() => PutAsync(channel, "4", "5", "6"));
        Assert.Contains("overflow", full.Message);
        AssertStores(channel, memory: 1, overflow: 1);
        await PutAsync(channel, "4", "5");                    // nothing of the refused put held memory
        Assert.Equal(["2", "3", "4", "5"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Counter_CapacityIsMemoryPlusOverflow()
    {
        var channel = await _fixture.OpenAsync(_fixture.Settings(memoryCapacity: 10, overflowCapacity: 90));
        Assert.Equal(100, channel.Counter.Capacity);
        Assert.Equal("spillablememory", channel.Counter.ComponentType);
    }

    public void Dispose() => _fixture.Dispose();

    private static void AssertStores(IChannel channel, int memory, int overflow)
    {
        Assert.Equal(memory, channel.Counter.Get(SpillableMemoryChannel.MemorySize));
        Assert.Equal(overflow, channel.Counter.Get(SpillableMemoryChannel.OverflowSize));
    }

    private static List<string> Bodies(IEnumerable<Event> events) => [.. events.Select(e => Encoding.UTF8.GetString(e.Body))];

    private static async Task PutAsync(IChannel channel, params string[] bodies)
    {
        using var put = channel.BeginTransaction();
        put.PutBatch([.. bodies.Select(b => Event.FromText(b))]);
        await put.CommitAsync(None);
    }

    private static async Task<List<string>> TakeAsync(IChannel channel, int max)
    {
        using var take = channel.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, max);
        await take.CommitAsync(None);
        return Bodies(events);
    }
}
