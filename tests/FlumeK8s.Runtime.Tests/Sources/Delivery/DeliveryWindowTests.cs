using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Delivery;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sources.Delivery;

/// <summary>
/// Batches in flight acknowledged to the source in the order handed over: commits that end out of
/// order, a commit that fails with later ones in flight, a full channel, the window's limit.
/// </summary>
public sealed class DeliveryWindowTests
{
    private readonly SourceCounter _counter = new("r1", "test");
    private readonly List<string> _acknowledged = [];

    [Fact]
    public async Task SettleAsync_CommitsEndInReverseOrder_AcknowledgedInTheOrderSent()
    {
        var channel = new HeldCommitChannel();
        var window = Window(channel, limit: 3);
        foreach (var batch in new[] { "a", "b", "c" })
        {
            Assert.True(await Eventually.Within(window.SendAsync(Drafts(batch, 2), batch, CancellationToken.None).AsTask()));
        }
        await Eventually.TrueAsync(() => channel.Waiting == 3, "three commits in flight at once");

        var settled = window.SettleAsync(CancellationToken.None).AsTask();
        channel.Commit("c0");
        await Eventually.TrueAsync(() => channel.Committed.Count == 2, "c committed");
        channel.Commit("b0");
        await Eventually.TrueAsync(() => channel.Committed.Count == 4, "b committed");
        Assert.Empty(_acknowledged);
        channel.Commit("a0");

        Assert.True(await Eventually.Within(settled));
        Assert.Equal(["a", "b", "c"], _acknowledged);
        Assert.Equal(["c0", "c1", "b0", "b1", "a0", "a1"], channel.Committed);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public async Task SendAsync_ManyInFlight_EachCommitStartsBeforeTheCallReturns()
    {
        var channel = new HeldCommitChannel();
        var window = Window(channel, limit: 16);
        var batches = Enumerable.Range(0, 12).Select(i => $"b{i}-").ToList();

        foreach (var batch in batches)
        {
            Assert.True(await window.SendAsync(Drafts(batch, 2), batch, CancellationToken.None));
            Assert.Equal(batch + "0", channel.Started[^1]);
        }

        // The channel saw the batches in the order they were read.
        Assert.Equal(batches.Select(b => b + "0"), channel.Started);
        foreach (var batch in batches)
        {
            channel.Commit(batch + "0");
        }
        Assert.True(await Eventually.Within(window.SettleAsync(CancellationToken.None).AsTask()));
        Assert.Equal(batches, _acknowledged);
    }

    [Fact]
    public async Task SendAsync_BelowTheLimit_ReturnsWhileEarlierCommitsWait()
    {
        var channel = new HeldCommitChannel();
        var window = Window(channel, limit: 3);

        foreach (var batch in new[] { "a", "b", "c" })
        {
            var send = window.SendAsync(Drafts(batch, 1), batch, CancellationToken.None);
            Assert.True(send.IsCompleted, $"sending {batch} waited for a commit");
            Assert.True(await send);
        }

        await Eventually.TrueAsync(() => channel.Waiting == 3, "three commits waiting together");
        Assert.Empty(_acknowledged);
        Assert.Equal(3, window.Count);
        channel.Commit("a0");
        channel.Commit("b0");
        channel.Commit("c0");
        Assert.True(await Eventually.Within(window.SettleAsync(CancellationToken.None).AsTask()));
        Assert.Equal(["a", "b", "c"], _acknowledged);
    }

    [Fact]
    public async Task SettleAsync_MiddleBatchRefused_LaterCommittedBatchesNotAcknowledged()
    {
        var channel = new HeldCommitChannel();
        var window = Window(channel, limit: 4);
        foreach (var batch in new[] { "a", "b", "c", "d" })
        {
            await window.SendAsync(Drafts(batch, 2), batch, CancellationToken.None);
        }
        channel.Commit("d0");
        channel.Commit("c0");
        channel.Refuse("b0");
        channel.Commit("a0");

        Assert.False(await Eventually.Within(window.SettleAsync(CancellationToken.None).AsTask()));

        // a is acknowledged; b failed; c and d are in the channel but the source reads them again.
        Assert.Equal(["a"], _acknowledged);
        Assert.Equal(["a0", "a1", "c0", "c1", "d0", "d1"], channel.Committed.Order(StringComparer.Ordinal));
        Assert.Equal(0, window.Count);
        Assert.Equal(1, _counter.Get("ChannelWriteFail"));
    }

    [Fact]
    public async Task SendAsync_OldestRefusedWhileWindowFull_NotSentAndNothingLeftInFlight()
    {
        var (channel, window, third) = await SendThirdIntoAFullWindowAsync();
        channel.Refuse("a0");
        await Task.Delay(50);
        Assert.False(third.IsCompleted); // b must end before the window answers
        channel.Commit("b0");

        Assert.False(await Eventually.Within(third));
        Assert.Empty(_acknowledged);
        Assert.Equal(["b0"], channel.Committed);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public async Task SendAsync_WindowFull_WaitsForTheOldestThenSends()
    {
        var (channel, window, third) = await SendThirdIntoAFullWindowAsync();
        channel.Commit("a0");

        Assert.True(await Eventually.Within(third));
        Assert.Equal(["a"], _acknowledged);
        await Eventually.TrueAsync(() => channel.Waiting == 2, "b and c in flight");
        channel.Commit("b0");
        channel.Commit("c0");
        Assert.True(await Eventually.Within(window.SettleAsync(CancellationToken.None).AsTask()));
        Assert.Equal(["a", "b", "c"], _acknowledged);
    }

    [Fact]
    public async Task SendAsync_ChannelFull_RefusedBatchStopsTheSourceAndOnlyTheCommittedPrefixIsAcknowledged()
    {
        var pipeline = new TestPipeline(capacity: 10, transactionCapacity: 5, keepAlive: TimeSpan.Zero);
        var window = new DeliveryWindow<string>(Delivery(pipeline.Processor), 4, _acknowledged.Add);
        var sent = new List<string>();

        foreach (var batch in new[] { "a", "b", "c", "d", "e", "f", "g", "h" })
        {
            if (!await Eventually.Within(window.SendAsync(Drafts(batch, 5), batch, CancellationToken.None).AsTask()))
            {
                break;
            }
            sent.Add(batch);
        }
        var settled = await Eventually.Within(window.SettleAsync(CancellationToken.None).AsTask());

        // Room for two batches: the source stops at the first refusal it learns of, with at most the
        // window's four batches sent, and never acknowledges past a refused one. Which two batches
        // got the room depends on how their concurrent commits interleaved.
        Assert.False(settled && sent.Count == 8, "a full channel must stop the source");
        Assert.InRange(sent.Count, 2, 6);
        Assert.InRange(_acknowledged.Count, 0, 2); // a itself may be the one that found no room
        Assert.Equal(sent.Take(_acknowledged.Count), _acknowledged);
        var inChannel = pipeline.DrainBodies();
        Assert.Equal(10, inChannel.Count);
        Assert.All(_acknowledged, batch => Assert.Contains(batch + "4", inChannel));
        Assert.True(_counter.Get("ChannelWriteFail") >= 1);
    }

    [Fact]
    public async Task SendAsync_LimitOne_DeliversInlineAndAnswersTheOutcome()
    {
        var pipeline = new TestPipeline(capacity: 5, transactionCapacity: 5, keepAlive: TimeSpan.Zero);
        var window = new DeliveryWindow<string>(Delivery(pipeline.Processor), 1, _acknowledged.Add);

        var first = window.SendAsync(Drafts("a", 5), "a", CancellationToken.None);
        Assert.True(first.IsCompleted); // a memory channel commits synchronously: nothing went to the pool
        Assert.True(await first);
        Assert.Equal(["a"], _acknowledged);
        Assert.False(await window.SendAsync(Drafts("b", 5), "b", CancellationToken.None));

        Assert.Equal(["a"], _acknowledged);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public async Task SendAsync_DraftListReusedAtOnce_EachBatchKeepsItsOwnEvents()
    {
        var channel = new HeldCommitChannel();
        var window = Window(channel, limit: 3);
        var drafts = new List<EventDraft>();
        foreach (var batch in new[] { "a", "b", "c" })
        {
            drafts.Clear();
            drafts.AddRange(Drafts(batch, 3));
            await window.SendAsync(drafts, batch, CancellationToken.None);
            channel.Commit(batch + "0");
        }

        Assert.True(await Eventually.Within(window.SettleAsync(CancellationToken.None).AsTask()));
        Assert.Equal(["a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1", "c2"], channel.Committed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SettleAsync_Cancelled_BatchesStayInFlightUntilSettledAgain()
    {
        var channel = new HeldCommitChannel();
        var window = Window(channel, limit: 2);
        await window.SendAsync(Drafts("a", 1), "a", CancellationToken.None);
        using var stop = new CancellationTokenSource();

        var settling = window.SettleAsync(stop.Token).AsTask();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(settling));
        Assert.Equal(1, window.Count);
        channel.Commit("a0");
        Assert.True(await Eventually.Within(window.SettleAsync(CancellationToken.None).AsTask()));
        Assert.Equal(["a"], _acknowledged);
    }

    // a and b in flight with a limit of 2: sending c waits (checked a moment after both commits started).
    private async Task<(HeldCommitChannel Channel, DeliveryWindow<string> Window, Task<bool> Third)> SendThirdIntoAFullWindowAsync()
    {
        var channel = new HeldCommitChannel();
        var window = Window(channel, limit: 2);
        await window.SendAsync(Drafts("a", 1), "a", CancellationToken.None);
        await window.SendAsync(Drafts("b", 1), "b", CancellationToken.None);
        var third = window.SendAsync(Drafts("c", 1), "c", CancellationToken.None).AsTask();
        await Eventually.TrueAsync(() => channel.Waiting == 2, "a and b in flight");
        await Task.Delay(50);
        Assert.False(third.IsCompleted, "c was sent with the window full");
        return (channel, window, third);
    }

    private DeliveryWindow<string> Window(HeldCommitChannel channel, int limit) =>
        new(Delivery(new ChannelProcessor(new ReplicatingSelector([channel], []), [])), limit, _acknowledged.Add);

    private RequestDelivery Delivery(ChannelProcessor processor) => new("r1", processor, _counter, NullLogger.Instance);

    private static List<EventDraft> Drafts(string batch, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new EventDraft(System.Text.Encoding.UTF8.GetBytes($"{batch}{i}")))];
}
