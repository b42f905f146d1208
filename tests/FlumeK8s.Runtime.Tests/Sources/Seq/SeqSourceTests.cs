using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Sources.Seq;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Seq;

/// <summary>The seq source with batches in flight: its counter advances in order, a refusal sends it back, a full channel stops it.</summary>
public sealed class SeqSourceTests
{
    [Fact]
    public async Task Process_BatchRefusedWithLaterOnesCommitted_GeneratesAgainFromTheFirstUnacknowledged()
    {
        var channel = new HeldCommitChannel();
        var source = Source(new ChannelProcessor(new ReplicatingSelector([channel], []), []), batchSize: 2, total: 8, inFlight: 4);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(PollStatus.Ready, await Eventually.Within(source.ProcessAsync(CancellationToken.None).AsTask()));
        }
        await Eventually.TrueAsync(() => channel.Waiting == 4, "four batches in flight");

        var settling = source.ProcessAsync(CancellationToken.None).AsTask();
        channel.Commit("6");
        channel.Commit("4");
        channel.Refuse("2");
        channel.Commit("0");

        Assert.Equal(PollStatus.Ready, await Eventually.Within(settling));
        Assert.Equal(2, source.Next);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(PollStatus.Ready, await Eventually.Within(source.ProcessAsync(CancellationToken.None).AsTask()));
        }
        var last = source.ProcessAsync(CancellationToken.None).AsTask();
        await Eventually.TrueAsync(() => channel.Waiting == 3, "2, 4 and 6 sent again");
        channel.Commit("2");
        channel.Commit("4");
        channel.Commit("6");
        Assert.Equal(PollStatus.Backoff, await Eventually.Within(last));

        Assert.Equal(8, source.Next);
        var committed = channel.Committed.Select(long.Parse).ToList();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), committed.Distinct().Order());
        // The batches after the refused one were committed twice: duplicates, never a gap.
        Assert.Equal([4L, 5L, 6L, 7L], committed.GroupBy(n => n).Where(g => g.Count() == 2).Select(g => g.Key).Order());
    }

    [Fact]
    public async Task Process_ChannelFull_StopsWithTheCounterAtTheCommittedPrefix()
    {
        var pipeline = new TestPipeline(capacity: 10, transactionCapacity: 5, keepAlive: TimeSpan.Zero);
        var source = Source(pipeline.Processor, batchSize: 5, total: 100, inFlight: 4);

        var status = PollStatus.Ready;
        for (var polls = 0; status == PollStatus.Ready; polls++)
        {
            Assert.True(polls < 20, "a full channel must stop the source");
            status = await Eventually.Within(source.ProcessAsync(CancellationToken.None).AsTask());
        }
        await source.StopAsync(CancellationToken.None);

        var inChannel = pipeline.DrainBodies().Select(long.Parse).ToList();
        Assert.Equal(10, inChannel.Count);
        Assert.InRange(source.Next, 0, 10); // concurrent commits race for the room: the first batch may be the one refused
        // Everything below the counter is in the channel: a restart from it loses nothing.
        Assert.All(Enumerable.Range(0, (int)source.Next), n => Assert.Contains(n, inChannel));
    }

    [Fact]
    public async Task Process_RoomFreedAfterRefusals_EveryNumberDeliveredWithoutGaps()
    {
        var pipeline = new TestPipeline(capacity: 20, transactionCapacity: 5, keepAlive: TimeSpan.Zero);
        var source = Source(pipeline.Processor, batchSize: 5, total: 200, inFlight: 4);
        var received = new List<long>();

        for (var polls = 0; source.Next < 200; polls++)
        {
            Assert.True(polls < 2000, "the source did not finish");
            await Eventually.Within(source.ProcessAsync(CancellationToken.None).AsTask());
            received.AddRange(pipeline.DrainBodies().Select(long.Parse));
        }
        await source.StopAsync(CancellationToken.None);
        received.AddRange(pipeline.DrainBodies().Select(long.Parse));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), received.Distinct().Order());
    }

    private static SeqSource Source(ChannelProcessor processor, int batchSize, long total, int inFlight) =>
        new("r1", new SeqSourceSettings(batchSize, total, BodySize: 0, inFlight), processor, AgentServices.ForTests());
}
