using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Sources.Stress;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Stress;

public sealed class StressSourceTests
{
    private static StressSource NewSource(TestPipeline pipeline, StressSourceSettings settings, TimeProvider? time = null) =>
        new("r1", settings, pipeline.Processor, time ?? TimeProvider.System);

    private static async Task<PollStatus> PollAsync(StressSource source) =>
        await Eventually.Within(source.ProcessAsync(CancellationToken.None).AsTask());

    [Fact]
    public void Read_Defaults_FlumeValues()
    {
        var (context, problems) = TestPipeline.Context();

        Assert.Equal(new StressSourceSettings(500, -1, -1, 1, 0), StressSourceSettings.Read(context));
        Assert.False(problems.HasErrors);
    }

    [Fact]
    public void Read_BadValues_Reported()
    {
        var (context, problems) = TestPipeline.Context("size=-1", "maxTotalEvents=-2", "batchSize=0", "maxEventsPerSecond=-5");

        StressSourceSettings.Read(context);

        Assert.Equal(4, problems.Errors.Count);
    }

    [Theory]
    [InlineData("stress")]
    [InlineData("org.apache.flume.source.StressSource")]
    public void SourceCatalog_StressTypeOrClassName_Known(string type)
    {
        var (context, _) = TestPipeline.Context("batchSize=7");

        var plan = SourceCatalog.All.Single(t => t.Matches(type)).Configure(context);

        Assert.Equal(7, plan.BatchSize);
    }

    [Fact]
    public async Task ProcessAsync_MaxTotalEvents_StopsExactlyAtTheLimit()
    {
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, new StressSourceSettings(Size: 500, MaxTotalEvents: 7, MaxSuccessfulEvents: -1, BatchSize: 3, MaxEventsPerSecond: 0));

        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        Assert.Equal(PollStatus.Backoff, await PollAsync(source));

        var events = pipeline.Drain();
        Assert.Equal(7, events.Count);
        Assert.All(events, e => Assert.Equal(Enumerable.Repeat((byte)127, 500), e.Body));
        Assert.Equal(7, source.Counter.EventsAccepted);
        Assert.Equal(3, source.Counter.Get("AppendBatchAcceptedCount"));
    }

    [Fact]
    public async Task ProcessAsync_ChannelFull_CountsTowardTotalButNotSuccessful()
    {
        var pipeline = new TestPipeline(capacity: 2, transactionCapacity: 2);
        var source = NewSource(pipeline, new StressSourceSettings(10, MaxTotalEvents: 3, MaxSuccessfulEvents: -1, BatchSize: 1, MaxEventsPerSecond: 0));

        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        Assert.Equal(PollStatus.Backoff, await PollAsync(source));
        pipeline.Drain();
        Assert.Equal(PollStatus.Backoff, await PollAsync(source));

        Assert.Equal(3, source.TotalEvents);
        Assert.Equal(2, source.SuccessfulEvents);
        Assert.Equal(1, source.Counter.ChannelWriteFails);
    }

    [Fact]
    public async Task ProcessAsync_MaxSuccessfulEvents_RetriesRefusedEventsUntilEnoughCommit()
    {
        var pipeline = new TestPipeline(capacity: 2, transactionCapacity: 2);
        var source = NewSource(pipeline, new StressSourceSettings(10, MaxTotalEvents: -1, MaxSuccessfulEvents: 3, BatchSize: 2, MaxEventsPerSecond: 0));

        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        Assert.Equal(PollStatus.Backoff, await PollAsync(source));
        Assert.Equal(2, pipeline.Drain().Count);
        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        Assert.Equal(PollStatus.Backoff, await PollAsync(source));

        Assert.Single(pipeline.Drain());
        Assert.Equal(3, source.SuccessfulEvents);
        Assert.Equal(4, source.TotalEvents);
    }

    [Fact]
    public async Task ProcessAsync_MaxEventsPerSecond_WaitsOnTheInjectedClock()
    {
        var clock = new ManualTimeProvider();
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, new StressSourceSettings(10, -1, -1, BatchSize: 5, MaxEventsPerSecond: 10), clock);

        Assert.Equal(PollStatus.Ready, await PollAsync(source));
        var second = source.ProcessAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(PollStatus.Ready, await Eventually.Within(second));
        Assert.Equal(10, pipeline.Drain().Count);
    }

    [Fact]
    public async Task ProcessAsync_RateLimitedAndCancelled_StopsWaiting()
    {
        var clock = new ManualTimeProvider();
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, new StressSourceSettings(10, -1, -1, BatchSize: 1, MaxEventsPerSecond: 1), clock);
        await PollAsync(source);
        using var stop = new CancellationTokenSource();

        var waiting = source.ProcessAsync(stop.Token).AsTask();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(waiting));
        Assert.Single(pipeline.Drain());
    }
}
