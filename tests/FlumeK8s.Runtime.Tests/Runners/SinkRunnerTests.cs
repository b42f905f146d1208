using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sinks.Null;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Runners;

public sealed class SinkRunnerTests
{
    [Fact]
    public async Task IdleSink_WakesAsSoonAsEventsArrive_WithoutWaitingForBackoff()
    {
        var time = new ManualTimeProvider();
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(100, 100, TimeSpan.Zero, 1L << 20), time);
        var sink = new NullSink("k1", channel, 10, 0, NullLogger.Instance);
        var runner = new SinkRunner("k1", new DefaultSinkProcessor(sink), RunnerBackoff.Default, time, NullLogger.Instance);
        await runner.StartAsync(default);
        await Eventually.TrueAsync(() => time.PendingTimers == 1, "the idle sink to sleep");

        using (var put = channel.BeginTransaction())
        {
            put.PutBatch([Event.FromText("a"), Event.FromText("b")]);
            await put.CommitAsync(default);
        }
        await Eventually.TrueAsync(() => sink.Counter.EventsDrained == 2, "events drained without the clock moving");
        await Eventually.Within(runner.StopAsync(default));
    }

    [Fact]
    public async Task SinkThatCannotStart_TriedAgainWithGrowingPauses_SaysWhyMeanwhile_RunsOnceStarted()
    {
        var time = new ManualTimeProvider();
        var sink = new ScriptedSink("k1", time) { FailingStarts = 2, Status = PollStatus.Backoff };
        var backoff = new RunnerBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var runner = new SinkRunner("k1", new DefaultSinkProcessor(sink), backoff, new CappedBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)), time, NullLogger.Instance);

        await Eventually.Within(runner.StartAsync(default)); // a sink that cannot start fails nothing
        Assert.Equal(1, sink.StartAttempts);
        Assert.Equal("sink k1: failed to start: Access to the path '/k1' is denied", runner.NotStartedReason);

        await AdvanceAsync(time, TimeSpan.FromSeconds(9));
        Assert.Equal(1, sink.StartAttempts);
        Assert.Equal(0, sink.Calls); // nothing is processed by a sink that is not running
        await AdvanceAsync(time, TimeSpan.FromSeconds(1));
        Assert.Equal(2, sink.StartAttempts);

        await AdvanceAsync(time, TimeSpan.FromSeconds(19)); // the pause doubled
        Assert.Equal(2, sink.StartAttempts);
        await AdvanceAsync(time, TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => sink.StartAttempts == 3 && sink.Calls > 0, "the third attempt to start it and the sink to run");
        Assert.Null(runner.NotStartedReason);

        await Eventually.Within(runner.StopAsync(default));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task LoneSink_HasAsManyBatchesInProgressAsItAllows_AndStopWaitsForAllOfThem(int batchesInFlight)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new ScriptedSink("k1") { Hold = hold };
        var runner = new SinkRunner("k1", new DefaultSinkProcessor(sink), RunnerBackoff.Default, TimeProvider.System, NullLogger.Instance, batchesInFlight);
        await runner.StartAsync(default);

        await Eventually.TrueAsync(() => sink.MostInProgress == batchesInFlight, $"{batchesInFlight} batches in progress");
        await Task.Delay(100); // no more than that join them
        Assert.Equal(batchesInFlight, sink.MostInProgress);
        Assert.Equal(batchesInFlight, sink.Calls);

        var stopped = runner.StopAsync(TimeSpan.FromSeconds(30), default);
        await Task.Delay(100);
        Assert.False(stopped.IsCompleted); // every batch in progress is let finish, not only one
        hold.SetResult();
        await Eventually.Within(stopped);
        Assert.Equal(batchesInFlight, sink.Calls);
    }

    [Fact]
    public void SinkGroup_MoreThanOneBatchInFlight_RefusedNamingTheGroup()
    {
        var sinks = new[] { new ScriptedSink("k1"), new ScriptedSink("k2") };
        var processor = new FailoverSinkProcessor(sinks, new Dictionary<string, int> { ["k1"] = 2, ["k2"] = 1 }, TimeSpan.FromSeconds(30), TimeProvider.System);

        var refused = Assert.Throws<ArgumentException>(() => new SinkRunner("g1", processor, RunnerBackoff.Default, TimeProvider.System, NullLogger.Instance, batchesInFlight: 3));

        Assert.Contains("sink group g1 takes one batch at a time", refused.Message);
    }

    // Moves the clock a second at a time, letting the runner's loop take each turn it is due.
    private static async Task AdvanceAsync(ManualTimeProvider time, TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += TimeSpan.FromSeconds(1))
        {
            await Eventually.TrueAsync(() => time.PendingTimers == 1, "the runner asleep");
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await Eventually.TrueAsync(() => time.PendingTimers == 1, "the runner asleep");
    }
}
