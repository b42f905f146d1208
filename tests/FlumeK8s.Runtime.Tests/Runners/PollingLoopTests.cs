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

    [Fact]
    public async Task StopWithTimeToFinish_TheTurnInProgressCompletes_NoNewTurnStarts()
    {
        var turn = new TaskCompletionSource<PollStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        var loop = new PollingLoop("test", async token =>
        {
            Interlocked.Increment(ref _polls);
            using var registration = token.Register(() => cancelled = true);
            return await turn.Task;
        }, null, Backoff, _time, NullLogger.Instance);
        loop.Start();
        await Eventually.TrueAsync(() => Volatile.Read(ref _polls) == 1, "a turn in progress");

        var stopping = loop.StopAsync(TimeSpan.FromSeconds(30), default);
        Assert.False(stopping.IsCompleted);
        turn.SetResult(PollStatus.Ready); // Ready: the loop would start the next turn at once
        await Eventually.Within(stopping);

        Assert.False(cancelled);
        Assert.Equal(1, Volatile.Read(ref _polls));
    }

    [Fact]
    public async Task StopWithTimeToFinish_ATurnThatTakesLongerIsCancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new PollingLoop("test", async token =>
        {
            Interlocked.Increment(ref _polls);
            using var registration = token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            return PollStatus.Ready;
        }, null, Backoff, _time, NullLogger.Instance);
        loop.Start();
        await Eventually.TrueAsync(() => Volatile.Read(ref _polls) == 1, "a turn in progress");

        var stopping = loop.StopAsync(TimeSpan.FromSeconds(2), default);
        await Eventually.TrueAsync(() => _time.PendingTimers == 1, "the wait for the turn");
        Assert.False(cancelled.Task.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.Within(cancelled.Task);
        await Eventually.Within(stopping);
    }

    [Fact]
    public async Task StopWithTimeToFinish_WhileAsleep_EndsAtOnce()
    {
        var loop = new PollingLoop("test", _ => { Interlocked.Increment(ref _polls); return ValueTask.FromResult(PollStatus.Backoff); },
            null, Backoff, _time, NullLogger.Instance);
        loop.Start();
        await Eventually.TrueAsync(() => _polls == 1 && _time.PendingTimers == 1, "asleep after the first poll");

        await Eventually.Within(loop.StopAsync(TimeSpan.FromSeconds(30), default));
        Assert.Equal(1, Volatile.Read(ref _polls));
    }
}
