using System.Text;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Channels;

/// <summary>
/// The contract every channel that keeps events honours, on top of the transaction rules: what is
/// put and committed comes out again, in order, once. Each channel kind runs this suite through a
/// subclass that says how to create (and, for durable kinds, reopen) the channel.
/// </summary>
public abstract class ChannelContractTests : TransactionContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Commit_Puts_BecomeVisibleInOrder()
    {
        var channel = await CreateAsync(100, 10);
        await PutAsync(channel, "a", "b", "c");
        Assert.Equal(["a", "b", "c"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Take_BeforePutCommit_SeesNothing()
    {
        var channel = await CreateAsync(100, 10);
        using var put = channel.BeginTransaction();
        put.PutBatch([Event.FromText("a")]);
        Assert.Empty(await TakeAsync(channel, 10));
        await put.CommitAsync(None);
        Assert.Equal(["a"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Rollback_Puts_AreDiscarded()
    {
        var channel = await CreateAsync(100, 10);
        using (var put = channel.BeginTransaction())
        {
            put.Put(Event.FromText("lost"));
            put.Rollback();
        }
        await PutAsync(channel, "kept");
        Assert.Equal(["kept"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Rollback_Takes_ReturnToHeadInOriginalOrder()
    {
        var channel = await CreateAsync(100, 10);
        await PutAsync(channel, "1", "2", "3", "4");
        using (var take = channel.BeginTransaction())
        {
            var taken = new List<Event>();
            Assert.Equal(2, take.TakeBatch(taken, 2));
            take.Rollback();
        }
        Assert.Equal(["1", "2", "3", "4"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Dispose_OpenTransaction_RollsBack()
    {
        var channel = await CreateAsync(100, 10);
        await PutAsync(channel, "x");
        using (var take = channel.BeginTransaction())
        {
            Assert.Equal(1, take.TakeBatch([], 10));
        }
        Assert.Equal(["x"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Prepare_ThenCommit_PutsBecomeVisibleOnlyAtCommit()
    {
        var channel = await CreateAsync(100, 10);
        using var put = channel.BeginTransaction();
        put.PutBatch([Event.FromText("a"), Event.FromText("b")]);
        await put.PrepareAsync(None);
        Assert.Empty(await TakeAsync(channel, 10));
        await put.CommitAsync(None);
        Assert.Equal(["a", "b"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Prepare_ThenRollback_DiscardsPuts()
    {
        var channel = await CreateAsync(100, 10);
        using (var put = channel.BeginTransaction())
        {
            put.Put(Event.FromText("lost"));
            await put.PrepareAsync(None);
            put.Rollback();
        }
        await PutAsync(channel, "kept");
        Assert.Equal(["kept"], await TakeAsync(channel, 10));
    }

    [Fact]
    public async Task Take_IsBoundedByTransactionCapacity()
    {
        var channel = await CreateAsync(100, 3);
        for (var i = 0; i < 3; i++)
        {
            await PutAsync(channel, $"{2 * i}", $"{2 * i + 1}");
        }
        using var take = channel.BeginTransaction();
        // A channel may hand out fewer than it holds per call (a Kafka channel returns what its
        // consumer has fetched so far), never more than the transaction's capacity in all; a full transaction refuses more.
        var taken = 0;
        await Eventually.TrueAsync(() => (taken += take.TakeBatch([], 10)) >= 3, "three events taken");
        Assert.Equal(3, taken);
        Assert.Throws<ChannelException>(() => take.TakeBatch([], 10));
    }

    [Fact]
    public async Task Headers_SurviveTheChannel()
    {
        var channel = await CreateAsync(10, 10);
        using (var put = channel.BeginTransaction())
        {
            put.Put(new Event([1, 2, 3], new Dictionary<string, string> { ["k"] = "v", ["empty"] = "" }));
            await put.CommitAsync(None);
        }
        using var take = channel.BeginTransaction();
        var events = new List<Event>();
        take.TakeBatch(events, 1);
        await take.CommitAsync(None);
        Assert.Equal([1, 2, 3], events[0].Body);
        Assert.Equal("v", events[0].GetHeader("k"));
        Assert.Equal("", events[0].GetHeader("empty"));
    }

    [Fact]
    public async Task WaitToTake_WakesWhenEventsArrive()
    {
        var channel = await CreateAsync(100, 10);
        var waiting = channel.WaitToTakeAsync(TimeSpan.FromMinutes(1), None);
        Assert.False(waiting.IsCompleted);
        await PutAsync(channel, "wake");
        await Eventually.Within(waiting);
    }

    [Fact]
    public async Task ConcurrentProducersAndConsumers_LoseAndDuplicateNothing()
    {
        const int producers = 4, perProducer = 2000, batch = 50;
        var channel = await CreateAsync(1000, batch);
        var produce = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i += batch)
            {
                var events = Enumerable.Range(i, batch).Select(n => Event.FromText($"{p}:{n}")).ToList();
                while (true)
                {
                    try
                    {
                        using var put = channel.BeginTransaction();
                        put.PutBatch(events);
                        await put.CommitAsync(None);
                        break;
                    }
                    catch (ChannelFullException)
                    {
                        await Task.Yield();
                    }
                }
            }
        })).ToArray();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var consume = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (seen.Count < producers * perProducer)
            {
                using var take = channel.BeginTransaction();
                var events = new List<Event>();
                take.TakeBatch(events, batch);
                if (events.Count > 0 && Random.Shared.Next(4) == 0)
                {
                    take.Rollback(); // exercise rollback under contention
                    continue;
                }
                await take.CommitAsync(None);
                foreach (var e in events)
                {
                    seen.Add(Encoding.UTF8.GetString(e.Body));
                }
                if (events.Count == 0)
                {
                    await channel.WaitToTakeAsync(TimeSpan.FromMilliseconds(20), None);
                }
            }
        })).ToArray();
        await Eventually.Within(Task.WhenAll(produce.Concat(consume)), TimeSpan.FromSeconds(60));
        Assert.Equal(producers * perProducer, seen.Count);
        Assert.Equal(producers * perProducer, seen.Distinct().Count());
    }
}
