using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Sinks;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Runners;

/// <summary>
/// Starts the sinks of one runner, and keeps trying those that cannot start yet (a directory the
/// agent may not write, a broker library missing) with growing pauses, instead of failing the whole
/// topology: once the cause goes away the sink starts by itself. Until then the runner delivers
/// nothing (its events wait in the channel) and <see cref="NotStartedReason"/> says why, which
/// /readyz reports. Callers (the host's start, then the runner's loops) take turns.
/// </summary>
internal sealed partial class SinkStarts(IReadOnlyList<ISink> sinks, CappedBackoff retry, TimeProvider time, ILogger logger)
{
    private readonly List<ISink> _waiting = [.. sinks];
    private readonly SemaphoreSlim _turn = new(1, 1);
    private volatile bool _allStarted;
    private int _failures;
    private long _failedAt;
    private volatile string? _notStarted;

    /// <summary>Null once every sink runs; otherwise the sink that could not start, and why.</summary>
    public string? NotStartedReason => _notStarted;

    /// <summary>The sinks started so far, the ones to stop.</summary>
    public IEnumerable<ISink> Started => sinks.Where(s => !_waiting.Contains(s));

    /// <summary>Starts the sinks still waiting, if their next attempt is due; true once all of them run.</summary>
    public async ValueTask<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        if (_allStarted)
        {
            return true;
        }
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _allStarted = await TryStartWaitingAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async ValueTask<bool> TryStartWaitingAsync(CancellationToken cancellationToken)
    {
        if (_waiting.Count == 0)
        {
            return true;
        }
        if (_failures > 0 && time.GetElapsedTime(_failedAt) < retry.Delay(_failures))
        {
            return false;
        }
        while (_waiting.Count > 0)
        {
            var sink = _waiting[0];
            try
            {
                await sink.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _failures++;
                _failedAt = time.GetTimestamp();
                _notStarted = $"sink {sink.Name}: failed to start: {e.Message}";
                LogStartFailed(logger, sink.Name, retry.Delay(_failures).TotalSeconds, e);
                return false;
            }
            sink.Counter.MarkStarted(time);
            _waiting.RemoveAt(0);
            if (_failures > 0)
            {
                LogStartedAfterFailures(logger, sink.Name, _failures);
            }
        }
        _failures = 0;
        _notStarted = null;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} could not start; its events wait in the channel and it tries again in {Seconds} s")]
    private static partial void LogStartFailed(ILogger logger, string sink, double seconds, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} started after {Failures} failed attempts")]
    private static partial void LogStartedAfterFailures(ILogger logger, string sink, int failures);
}
