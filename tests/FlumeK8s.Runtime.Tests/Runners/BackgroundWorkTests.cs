using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Runners;

public sealed class BackgroundWorkTests
{
    [Fact]
    public async Task StopAsync_WorkRunning_CancelsAndWaitsForTheWorkToEnd()
    {
        var work = new BackgroundWork();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = false;
        work.Start(async token =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Wind down a little after the cancellation, so the stop has something to wait for.
                await Task.Yield();
                ended = true;
            }
        });
        await Eventually.Within(started.Task);

        await Eventually.Within(work.StopAsync(CancellationToken.None));

        Assert.True(ended);
    }

    [Fact]
    public async Task StopAsync_WithOnCancelled_RunsItAfterCancellingAndBeforeTheWorkEnds()
    {
        var work = new BackgroundWork();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledWhenClosed = false;
        CancellationToken workToken = default;
        // Ends only when released by onCancelled, like a receive that ends when its socket closes.
        work.Start(token =>
        {
            workToken = token;
            return release.Task;
        });
        await Eventually.TrueAsync(() => workToken.CanBeCanceled, "work started");

        await Eventually.Within(work.StopAsync(() =>
        {
            cancelledWhenClosed = workToken.IsCancellationRequested;
            release.SetResult();
        }, CancellationToken.None));

        Assert.True(cancelledWhenClosed);
    }

    [Fact]
    public async Task StopAsync_NeverStarted_ReturnsWithoutCallingOnCancelled()
    {
        var work = new BackgroundWork();
        var called = false;

        await Eventually.Within(work.StopAsync(() => called = true, CancellationToken.None));

        Assert.False(called);
    }

    [Fact]
    public async Task Start_AfterStop_RunsTheWorkAgain()
    {
        var work = new BackgroundWork();
        var runs = 0;
        Task RunUntilStopped(CancellationToken token)
        {
            Interlocked.Increment(ref runs);
            return Task.Delay(Timeout.InfiniteTimeSpan, token).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        work.Start(RunUntilStopped);
        await Eventually.TrueAsync(() => Volatile.Read(ref runs) == 1, "first run");
        await Eventually.Within(work.StopAsync(CancellationToken.None));

        work.Start(RunUntilStopped);
        await Eventually.TrueAsync(() => Volatile.Read(ref runs) == 2, "second run");
        await Eventually.Within(work.StopAsync(CancellationToken.None));
    }
}
