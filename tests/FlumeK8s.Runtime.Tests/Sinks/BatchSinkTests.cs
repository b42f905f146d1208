using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sinks;

public sealed class BatchSinkTests
{
    [Fact]
    public async Task Process_DeliveryThrows_RollsBackSoEventsStayInOrder()
    {
        var pipeline = new TestPipeline();
        await pipeline.Processor.ProcessBatchAsync([Event.FromText("1"), Event.FromText("2")], default);
        var sink = new FlakySink(pipeline.Channel, failures: 1);

        await Assert.ThrowsAsync<IOException>(() => sink.ProcessAsync(default).AsTask());
        Assert.Equal(2, pipeline.Channel.Counter.Size);
        Assert.Equal(1, sink.Counter.Get("EventWriteFail"));

        Assert.Equal(FlumeK8s.Runtime.Sources.PollStatus.Ready, await sink.ProcessAsync(default));
        Assert.Equal(["1", "2"], sink.Delivered);
        Assert.Equal(0, pipeline.Channel.Counter.Size);
        Assert.Equal(2, sink.Counter.EventsDrained);
    }

    [Fact]
    public async Task Runner_SinkThatThrows_BacksOffAndRetriesUntilDelivered()
    {
        var time = new ManualTimeProvider();
        var pipeline = new TestPipeline();
        await pipeline.Processor.ProcessBatchAsync([Event.FromText("kept")], default);
        var sink = new FlakySink(pipeline.Channel, failures: 2);
        var runner = new SinkRunner("k1", new DefaultSinkProcessor(sink), RunnerBackoff.Default, time, NullLogger.Instance);
        await runner.StartAsync(default);

        await Eventually.TrueAsync(() => runner.Errors == 1 && time.PendingTimers == 1, "the first failure, then the error backoff");
        Assert.Equal(1, pipeline.Channel.Counter.Size);
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => runner.Errors == 2 && time.PendingTimers == 1, "the second failure");
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => sink.Delivered.Count == 1, "delivery on the third try");
        Assert.Equal(0, pipeline.Channel.Counter.Size);
        await Eventually.Within(runner.StopAsync(default));
    }

    private sealed class FlakySink(IChannel channel, int failures) : BatchSink("k1", "flaky", channel, 10)
    {
        private int _failuresLeft = failures;

        public List<string> Delivered { get; } = [];

        protected override ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
        {
            if (_failuresLeft-- > 0)
            {
                throw new IOException("destination unavailable");
            }
            Delivered.AddRange(batch.Select(e => System.Text.Encoding.UTF8.GetString(e.Body)));
            return ValueTask.CompletedTask;
        }
    }
}
