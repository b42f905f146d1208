using FlumeK8s.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Runners;

/// <summary>
/// The loop shared by sink runners and pollable-source runners: poll while there is work, sleep
/// with growing backoff while there is none, sleep <see cref="RunnerBackoff.OnError"/> after an
/// error. An optional wake-up (a channel receiving events) cuts an idle sleep short; it is used
/// only while it actually waits, so a poller that keeps answering Backoff with work pending
/// still sleeps instead of spinning.
/// </summary>
public sealed partial class PollingLoop(
    string name,
    Func<CancellationToken, ValueTask<PollStatus>> poll,
    Func<TimeSpan, CancellationToken, Task>? wakeOnWork,
    RunnerBackoff backoff,
    TimeProvider time,
    ILogger logger)
{
    private readonly BackgroundWork _work = new();
    private CancellationTokenSource? _noMoreTurns;
    private long _errors;

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Runs the loop on the thread pool until <see cref="StopAsync(CancellationToken)"/>.</summary>
    public void Start()
    {
        _noMoreTurns = new CancellationTokenSource();
        var noMoreTurns = _noMoreTurns.Token;
        _work.Start(token => RunAsync(token, noMoreTurns));
    }

    /// <summary>Stops the loop at once: a turn in progress is cancelled (a sink's batch rolls back).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => StopAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Stops the loop after the turn in progress, if it ends within <paramref name="finishTurnWithin"/>
    /// (a sink's batch then is delivered and committed rather than rolled back and sent again by the
    /// next run); a sleep ends at once. A turn still running after that is cancelled.
    /// </summary>
    public async Task StopAsync(TimeSpan finishTurnWithin, CancellationToken cancellationToken)
    {
        if (_noMoreTurns is { } noMoreTurns && finishTurnWithin > TimeSpan.Zero)
        {
            await noMoreTurns.CancelAsync().ConfigureAwait(false);
            await _work.WaitAsync(finishTurnWithin, time, cancellationToken).ConfigureAwait(false);
        }
        await _work.StopAsync(cancellationToken).ConfigureAwait(false);
        _noMoreTurns?.Dispose();
        _noMoreTurns = null;
    }

    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, CancellationToken.None);

    // cancellationToken cancels everything, a poll included; noMoreTurns only ends the loop between
    // turns (and cuts a sleep short).
    private async Task RunAsync(CancellationToken cancellationToken, CancellationToken noMoreTurns)
    {
        using var sleepEnds = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, noMoreTurns);
        var idleTurns = 0;
        var lastWakeWasImmediate = false;
        while (!sleepEnds.IsCancellationRequested)
        {
            PollStatus status;
            try
            {
                status = await poll(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _errors);
                LogPollFailed(logger, name, backoff.OnError.TotalMilliseconds, e);
                await SleepAsync(backoff.OnError, wake: null, sleepEnds.Token).ConfigureAwait(false);
                continue;
            }
            if (status == PollStatus.Ready)
            {
                idleTurns = 0;
                lastWakeWasImmediate = false;
                continue;
            }
            idleTurns++;
            var wake = lastWakeWasImmediate && idleTurns > 1 ? null : wakeOnWork;
            var started = time.GetTimestamp();
            await SleepAsync(backoff.Idle(idleTurns), wake, sleepEnds.Token).ConfigureAwait(false);
            lastWakeWasImmediate = wake is not null && time.GetElapsedTime(started) < TimeSpan.FromMilliseconds(1);
        }
    }

    private async Task SleepAsync(TimeSpan delay, Func<TimeSpan, CancellationToken, Task>? wake, CancellationToken cancellationToken)
    {
        try
        {
            if (wake is null)
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await wake(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping while asleep is the normal way out.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Runner} failed; retrying in {DelayMs} ms")]
    private static partial void LogPollFailed(ILogger logger, string runner, double delayMs, Exception error);
}
