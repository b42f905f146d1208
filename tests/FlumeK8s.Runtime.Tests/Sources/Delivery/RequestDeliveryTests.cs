using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Delivery;
using FlumeK8s.Runtime.Tests.Channels.File;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sources.Delivery;

/// <summary>Every outcome the network sources answer, and the source counters each one leaves, against real channels.</summary>
public sealed class RequestDeliveryTests
{
    private readonly SourceCounter _counter = new("r1", "test");

    private RequestDelivery Delivery(ChannelProcessor processor) => new("r1", processor, _counter, NullLogger.Instance);

    private static List<Event> Events(int count) => [.. Enumerable.Range(0, count).Select(i => Event.FromText($"e{i}"))];

    [Fact]
    public async Task DeliverAsync_ChannelHasRoom_CommittedAndCountedAsABatch()
    {
        var pipeline = new TestPipeline();

        var outcome = await Delivery(pipeline.Processor).DeliverAsync(Events(3), DeliveryCall.AppendBatch, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Committed, 3), outcome);
        Assert.Equal(["e0", "e1", "e2"], pipeline.DrainBodies());
        Assert.Equal((1, 1, 0, 0), (_counter.Get("AppendBatchReceivedCount"), _counter.Get("AppendBatchAcceptedCount"), _counter.Get("AppendReceivedCount"), _counter.Get("AppendAcceptedCount")));
        Assert.Equal((3, 3), (_counter.EventsReceived, _counter.EventsAccepted));
    }

    [Fact]
    public async Task DeliverAsync_SingleAppend_CountedAsAnAppend()
    {
        var pipeline = new TestPipeline();

        var outcome = await Delivery(pipeline.Processor).DeliverAsync(Events(1), DeliveryCall.Append, CancellationToken.None);

        Assert.True(outcome.IsCommitted);
        Assert.Equal((1, 1, 0), (_counter.Get("AppendReceivedCount"), _counter.Get("AppendAcceptedCount"), _counter.Get("AppendBatchReceivedCount")));
    }

    [Fact]
    public async Task DeliverAsync_ChannelFull_ChannelFullWithTheChannelsReasonAndNothingAccepted()
    {
        var pipeline = new TestPipeline(capacity: 2, transactionCapacity: 2);
        var delivery = Delivery(pipeline.Processor);
        Assert.True((await delivery.DeliverAsync(Events(2), DeliveryCall.AppendBatch, CancellationToken.None)).IsCommitted);

        var outcome = await delivery.DeliverAsync(Events(2), DeliveryCall.AppendBatch, CancellationToken.None);

        Assert.Equal(DeliveryStatus.ChannelFull, outcome.Status);
        Assert.Equal(2, outcome.Events);
        Assert.Contains("full", outcome.Reason);
        Assert.Equal((4, 2, 1), (_counter.EventsReceived, _counter.EventsAccepted, _counter.ChannelWriteFails));
        Assert.Equal(1, _counter.Get("AppendBatchAcceptedCount"));
    }

    [Fact]
    public async Task DeliverAsync_RefusalsInARowThenRoom_EveryRefusalCountedAndTheNextBatchCommitted()
    {
        var pipeline = new TestPipeline(capacity: 1, transactionCapacity: 1);
        var delivery = Delivery(pipeline.Processor);
        await delivery.DeliverAsync(Events(1), DeliveryCall.AppendBatch, CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DeliveryStatus.ChannelFull, (await delivery.DeliverAsync(Events(1), DeliveryCall.AppendBatch, CancellationToken.None)).Status);
        }
        pipeline.Drain();

        Assert.True((await delivery.DeliverAsync(Events(1), DeliveryCall.AppendBatch, CancellationToken.None)).IsCommitted);
        Assert.Equal(3, _counter.ChannelWriteFails);
        Assert.Equal(2, _counter.EventsAccepted);
    }

    [Fact]
    public async Task DeliverAsync_ChannelClosed_ChannelUnavailable()
    {
        using var files = new FileChannelFixture();
        var channel = await files.OpenAsync(files.Settings());
        await channel.StopAsync(CancellationToken.None);
        var processor = new ChannelProcessor(new ReplicatingSelector([channel], []), []);

        var outcome = await Delivery(processor).DeliverAsync(Events(2), DeliveryCall.AppendBatch, CancellationToken.None);

        Assert.Equal(DeliveryStatus.ChannelUnavailable, outcome.Status);
        Assert.False(string.IsNullOrEmpty(outcome.Reason));
        Assert.Equal((1, 0), (_counter.ChannelWriteFails, _counter.EventsAccepted));
    }

    [Fact]
    public async Task DeliverAsync_InterceptorThrows_FailedAndCountedAsProcessingFailure()
    {
        var pipeline = new TestPipeline(interceptors: new ThrowingInterceptor());

        var outcome = await Delivery(pipeline.Processor).DeliverAsync(Events(2), DeliveryCall.AppendBatch, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Failed, 2, ThrowingInterceptor.Message), outcome);
        Assert.Equal((1, 0, 0), (_counter.Get("GenericProcessingFail"), _counter.ChannelWriteFails, _counter.EventsAccepted));
        Assert.Empty(pipeline.Drain());
    }

    [Fact]
    public async Task DeliverAsync_Cancelled_PropagatesAndAcceptsNothing()
    {
        var pipeline = new TestPipeline(capacity: 1, transactionCapacity: 1, keepAlive: TimeSpan.FromMinutes(5));
        var delivery = Delivery(pipeline.Processor);
        await delivery.DeliverAsync(Events(1), DeliveryCall.AppendBatch, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = delivery.DeliverAsync(Events(1), DeliveryCall.AppendBatch, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(waiting));
        Assert.Equal((1, 0), (_counter.EventsAccepted, _counter.ChannelWriteFails));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Refuse_RequestNeverDelivered_CountedAsReadFailure(bool tooLarge)
    {
        var status = tooLarge ? DeliveryStatus.TooLarge : DeliveryStatus.Malformed;
        var pipeline = new TestPipeline();

        var outcome = Delivery(pipeline.Processor).Refuse(status, "127.0.0.1", "why");

        Assert.Equal(new DeliveryOutcome(status, 0, "why"), outcome);
        Assert.Equal((1, 0L), (_counter.Get("EventReadFail"), _counter.EventsReceived));
    }

    [Fact]
    public void Fail_ReaderBroke_FailedAndCountedAsProcessingFailure()
    {
        var outcome = Delivery(new TestPipeline().Processor).Fail("127.0.0.1", new InvalidOperationException("handler bug"));

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Failed, 0, "handler bug"), outcome);
        Assert.Equal(1, _counter.Get("GenericProcessingFail"));
    }

    private sealed class ThrowingInterceptor : IInterceptor
    {
        public const string Message = "interceptor broke";

        public void Intercept(List<Event> batch) => throw new InvalidOperationException(Message);
    }
}
