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
    private long _errors;

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Runs the loop on the thread pool until <see cref="StopAsync"/>.</summary>
    public void Start() => _work.Start(RunAsync);

    /// <summary>Stops the loop and waits for the turn in progress to finish.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _work.StopAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idleTurns = 0;
        var lastWakeWasImmediate = false;
        while (!cancellationToken.IsCancellationRequested)
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
                await SleepAsync(backoff.OnError, wake: null, cancellationToken).ConfigureAwait(false);
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
            await SleepAsync(backoff.Idle(idleTurns), wake, cancellationToken).ConfigureAwait(false);
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
