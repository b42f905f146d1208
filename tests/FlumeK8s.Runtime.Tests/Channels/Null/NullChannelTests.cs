using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Channels.Null;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Tests.Channels.Null;

public sealed class NullChannelTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static NullChannel Create(int transactionCapacity = 100) => new("drop", new NullChannelSettings(transactionCapacity));

    private static async Task PutAsync(IChannel channel, int count)
    {
        using var put = channel.BeginTransaction();
        put.PutBatch([.. Enumerable.Range(0, count).Select(i => Event.FromText($"e{i}"))]);
        await put.CommitAsync(None);
    }

    [Fact]
    public async Task Commit_Puts_AreDiscardedAndCounted()
    {
        var channel = Create();
        await PutAsync(channel, 3);
        await PutAsync(channel, 2);

        using var take = channel.BeginTransaction();
        var taken = new List<Event>();
        Assert.Equal(0, take.TakeBatch(taken, 100));
        Assert.Empty(taken);
        await take.CommitAsync(None);
        Assert.Equal(5, channel.Discarded);
        Assert.Equal(5, channel.Counter.PutSuccesses);
        Assert.Equal(0, channel.Counter.Size);
        Assert.Equal(0, channel.Counter.Capacity);
        Assert.Equal(0, ((IChannel)channel).EventsHeld);
    }

    [Fact]
    public async Task Rollback_Puts_AreNotCountedAsDiscarded()
    {
        var channel = Create();
        using (var put = channel.BeginTransaction())
        {
            put.PutBatch([Event.FromText("a"), Event.FromText("b")]);
            Assert.True(await put.PrepareAsync(None));
            put.Rollback();
        }
        Assert.Equal(0, channel.Discarded);
        Assert.Equal(2, channel.Counter.Get("EventPutAttemptCount"));
        Assert.Equal(0, channel.Counter.PutSuccesses);
    }

    [Fact]
    public async Task Put_ManyBatches_AllocatesNothingPerEvent()
    {
        var channel = Create(1000);
        var batch = Enumerable.Range(0, 1000).Select(i => Event.FromText($"e{i}")).ToList();
        async Task RoundAsync()
        {
            using var put = channel.BeginTransaction();
            put.PutBatch(batch);
            await put.CommitAsync(None);
        }
        await RoundAsync(); // the pooled transaction and its list reach their size once

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            var round = RoundAsync();
            Assert.True(round.IsCompletedSuccessfully, "a commit into the null channel completes synchronously");
            await round;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(101_000, channel.Discarded);
        // 100,000 events went through; a few bytes per round (the test's own task) at most, never per event.
        Assert.True(allocated < 100 * 200, $"{allocated} bytes allocated for 100 rounds of 1000 events");
    }

    [Fact]
    public async Task WaitToTake_NothingEverArrives_WaitsTheWholeTime()
    {
        var channel = Create();
        await PutAsync(channel, 1);
        var waiting = channel.WaitToTakeAsync(TimeSpan.FromMilliseconds(50), None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task MultiplexingSelector_FilteredCategory_GoesToTheNullChannelOnly()
    {
        var kept = new MemoryChannel("kept", new MemoryChannelSettings(100, 100, TimeSpan.Zero, 1L << 20));
        var dropped = Create();
        var selector = new MultiplexingSelector("category",
            new Dictionary<string, IReadOnlyList<IChannel>> { ["app"] = [kept], ["debug"] = [dropped] },
            new Dictionary<string, IReadOnlyList<IChannel>>(), [kept]);
        var processor = new ChannelProcessor(selector, []);

        await processor.ProcessBatchAsync(
        [
            Event.FromText("1", new() { ["category"] = "app" }),
            Event.FromText("2", new() { ["category"] = "debug" }),
            Event.FromText("3", new() { ["category"] = "debug" }),
            Event.FromText("4"),
        ], None);

        Assert.Equal(2, kept.Counter.PutSuccesses);
        Assert.Equal(2, dropped.Discarded);
    }

    [Fact]
    public void Configuration_NullChannelWithoutSink_IsValidAndNotWarnedAbout()
    {
        var result = new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load("""
            a1.sources = r1
            a1.channels = c1 drop
            a1.sinks = k1
            a1.sources.r1.type = seq
            a1.sources.r1.channels = c1 drop
            a1.sources.r1.selector.type = multiplexing
            a1.sources.r1.selector.header = category
            a1.sources.r1.selector.mapping.debug = drop
            a1.sources.r1.selector.default = c1
            a1.channels.c1.type = memory
            a1.channels.drop.type = null
            a1.channels.drop.transactionCapacity = 500
            a1.sinks.k1.type = null
            a1.sinks.k1.channel = c1
            """);
        Assert.Empty(result.Problems.Errors);
        Assert.Empty(result.Problems.Warnings);
        Assert.Equal("null", result.Plan!.Channels.Single(c => c.Name == "drop").Type);
        Assert.Equal(500, result.Plan.Channels.Single(c => c.Name == "drop").Plan.Settings.TransactionCapacity);
    }
}
