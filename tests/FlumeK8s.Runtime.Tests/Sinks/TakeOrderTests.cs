using System.Text;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sinks;

/// <summary>
/// Batches in flight write in the order they were taken: a batch that reaches its turn first waits
/// for the batch taken before it, and a batch that fails or is cancelled does not hold the next up.
/// </summary>
public sealed class TakeOrderTests
{
    [Fact]
    public async Task SecondBatchReadyFirst_WaitsAndWritesAfterTheFirst()
    {
        var pipeline = await FilledAsync(20);
        var sink = new OrderedSink(pipeline.Channel);

        var first = sink.ProcessAsync(default).AsTask();
        var second = sink.ProcessAsync(default).AsTask();
        await Eventually.TrueAsync(() => sink.WaitingForTurn == 1, "the second batch at its turn");
        Assert.Empty(sink.Written);
        Assert.False(second.IsCompleted);

        sink.FirstMayWrite.SetResult();
        await Eventually.Within(Task.WhenAll(first, second));

        Assert.Equal(Bodies(0, 20), sink.Written);
        Assert.Equal(0, pipeline.Channel.Counter.Size);
    }

    [Fact]
    public async Task FirstBatchFailsBeforeItsTurn_SecondWritesAndTheFirstStaysInTheChannel()
    {
        var pipeline = await FilledAsync(20);
        var sink = new OrderedSink(pipeline.Channel);

        var first = sink.ProcessAsync(default).AsTask();
        var second = sink.ProcessAsync(default).AsTask();
        await Eventually.TrueAsync(() => sink.WaitingForTurn == 1, "the second batch at its turn");
        sink.FirstMayWrite.SetException(new IOException("first batch fails"));

        await Assert.ThrowsAsync<IOException>(() => first);
        await Eventually.Within(second);
        Assert.Equal(Bodies(10, 10), sink.Written);
        Assert.Equal(10, pipeline.Channel.Counter.Size);
    }

    [Fact]
    public async Task SecondBatchCancelledAtItsTurn_ThirdStillGetsItsTurn()
    {
        var pipeline = await FilledAsync(30);
        var sink = new OrderedSink(pipeline.Channel);
        using var stop = new CancellationTokenSource();

        var first = sink.ProcessAsync(default).AsTask();
        var second = sink.ProcessAsync(stop.Token).AsTask();
        var third = sink.ProcessAsync(default).AsTask();
        await Eventually.TrueAsync(() => sink.WaitingForTurn == 2, "the second and third batches at their turns");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        sink.FirstMayWrite.SetResult();

        await Eventually.Within(Task.WhenAll(first, third));
        Assert.Equal([.. Bodies(0, 10), .. Bodies(20, 10)], sink.Written);
        Assert.Equal(10, pipeline.Channel.Counter.Size);
    }

    [Fact]
    public async Task TurnWaitedForAgainAfterItsDeliveryEndedEarly_RefusedRatherThanWaitingForever()
    {
        var order = new TakeOrder();
        var pipeline = await FilledAsync(20);
        var first = new TakenBatch();
        var second = new TakenBatch();
        using (var transaction = pipeline.Channel.BeginTransaction())
        {
            order.Take(transaction, first, 10);
            order.Take(transaction, second, 10);
            transaction.Rollback();
        }

        order.End(second.Ticket);

        Assert.Throws<InvalidOperationException>(() => { _ = order.WaitForTurnAsync(second.Ticket, CancellationToken.None); });
        order.End(first.Ticket);
        Assert.True(order.WaitForTurnAsync(first.Ticket, CancellationToken.None).IsCompleted);
    }

    private static async Task<TestPipeline> FilledAsync(int events)
    {
        var pipeline = new TestPipeline();
        await pipeline.Processor.ProcessBatchAsync([.. Bodies(0, events).Select(b => Event.FromText(b))], default);
        return pipeline;
    }

    private static IEnumerable<string> Bodies(int start, int count) => Enumerable.Range(start, count).Select(i => $"e{i}");

    /// <summary>Holds the first batch (the one starting with e0) before its turn until the test lets it write.</summary>
    private sealed class OrderedSink(IChannel channel) : BatchSink("k1", "ordered", channel, 10)
    {
        private readonly List<string> _written = [];
        private int _waitingForTurn;

        public TaskCompletionSource FirstMayWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int WaitingForTurn => Volatile.Read(ref _waitingForTurn);

        public IReadOnlyList<string> Written
        {
            get
            {
                lock (_written)
                {
                    return [.. _written];
                }
            }
        }

        protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
        {
            if (Encoding.UTF8.GetString(batch[0].Body) == "e0")
            {
                await FirstMayWrite.Task;
            }
            else
            {
                Interlocked.Increment(ref _waitingForTurn);
            }
            await WaitForTurnAsync(batch, cancellationToken);
            lock (_written)
            {
                _written.AddRange(batch.Select(e => Encoding.UTF8.GetString(e.Body)));
            }
            EndTurn(batch);
        }
    }
}
