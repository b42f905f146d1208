using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Runners;

public sealed class PollingLoopTests
{
    private static readonly RunnerBackoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
    private readonly ManualTimeProvider _time = new();
    private int _polls;

    private async Task AdvanceAndExpect(TimeSpan by, int polls)
    {
        _time.Advance(by);
        await Eventually.TrueAsync(() => Volatile.Read(ref _polls) == polls && _time.PendingTimers == 1, $"{polls} polls, then asleep");
    }

    [Fact]
    public async Task Idle_BacksOffLinearlyUpToMax_NeverSpins()
    {
        using var stop = new CancellationTokenSource();
        var loop = new PollingLoop("test", _ => { Interlocked.Increment(ref _polls); return ValueTask.FromResult(PollStatus.Backoff); },
            null, Backoff, _time, NullLogger.Instance);
        var running = loop.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => _polls == 1 && _time.PendingTimers == 1, "first poll, then asleep");

        await AdvanceAndExpect(TimeSpan.FromMilliseconds(999), 1);
        await AdvanceAndExpect(TimeSpan.FromMilliseconds(1), 2);    // slept 1 s
        await AdvanceAndExpect(TimeSpan.FromSeconds(2), 3);         // slept 2 s
        await AdvanceAndExpect(TimeSpan.FromSeconds(3), 4);         // slept 3 s (max)
        await AdvanceAndExpect(TimeSpan.FromMilliseconds(2999), 4); // still 3 s, not 4
        await AdvanceAndExpect(TimeSpan.FromMilliseconds(1), 5);

        stop.Cancel();
        await Eventually.Within(running);
    }

    [Fact]
    public async Task Error_SleepsErrorBackoffAndCounts()
    {
        using var stop = new CancellationTokenSource();
        var loop = new PollingLoop("test", _ => { Interlocked.Increment(ref _polls); throw new IOException("boom"); },
            null, Backoff, _time, NullLogger.Instance);
        var running = loop.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => _polls == 1 && _time.PendingTimers == 1, "first failure, then asleep");
        await AdvanceAndExpect(TimeSpan.FromMilliseconds(4999), 1);
        await AdvanceAndExpect(TimeSpan.FromMilliseconds(1), 2);
        Assert.Equal(2, loop.Errors);
        stop.Cancel();
        await Eventually.Within(running);
    }

    [Fact]
    public async Task Ready_ResetsBackoff()
    {
        using var stop = new CancellationTokenSource();
        var answers = new Queue<PollStatus>([PollStatus.Backoff, PollStatus.Backoff, PollStatus.Ready]);
        var loop = new PollingLoop("test", _ =>
        {
            Interlocked.Increment(ref _polls);
            return ValueTask.FromResult(answers.Count > 0 ? answers.Dequeue() : PollStatus.Backoff);
        }, null, Backoff, _time, NullLogger.Instance);
        var running = loop.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => _polls == 1 && _time.PendingTimers == 1, "asleep after first poll");
        await AdvanceAndExpect(TimeSpan.FromSeconds(1), 2);
        _time.Advance(TimeSpan.FromSeconds(2));
        // Third poll answered Ready, so the fourth runs at once and the next sleep starts from 1 s again.
        await Eventually.TrueAsync(() => _polls == 4 && _time.PendingTimers == 1, "ready resets");
        await AdvanceAndExpect(TimeSpan.FromSeconds(1), 5);
        stop.Cancel();
        await Eventually.Within(running);
    }
}
