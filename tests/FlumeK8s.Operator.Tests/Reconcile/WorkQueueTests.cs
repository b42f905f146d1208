using FlumeK8s.Operator.Reconcile;

namespace FlumeK8s.Operator.Tests.Reconcile;

public sealed class WorkQueueTests
{
    private static readonly TierKey Key = new("CollectorTier", "ns", "collectors");

    [Fact]
    public void Retry_RepeatedFailures_DelayDoublesFrom200MsUpToTwoMinutes()
    {
        var time = new TimerRecorder();
        var queue = new WorkQueue(time);

        for (var i = 0; i < 12; i++)
        {
            queue.Retry(Key);
        }

        Assert.Equal([200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 102400, 120000, 120000], time.DueTimes.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public void Retry_AfterForget_StartsAgainAt200Ms()
    {
        var time = new TimerRecorder();
        var queue = new WorkQueue(time);
        queue.Retry(Key);
        queue.Retry(Key);

        queue.Forget(Key);
        queue.Retry(Key);

        Assert.Equal(TimeSpan.FromMilliseconds(200), time.DueTimes[^1]);
    }

    [Fact]
    public async Task Retry_WhenItsTimerFires_TheKeyIsQueued()
    {
        var time = new TimerRecorder();
        var queue = new WorkQueue(time);
        queue.Retry(Key);
        Assert.Equal(0, queue.Depth);

        time.FireAll();

        Assert.Equal(Key, await queue.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // Records the timers the queue asks for instead of running them; FireAll runs their callbacks.
    private sealed class TimerRecorder : TimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State)> _timers = [];

        public List<TimeSpan> DueTimes { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            DueTimes.Add(dueTime);
            _timers.Add((callback, state));
            return new RecordedTimer();
        }

        public void FireAll()
        {
            foreach (var (callback, state) in _timers)
            {
                callback(state);
            }
        }

        private sealed class RecordedTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
