namespace FlumeK8s.Runtime.Sources.Stress;

/// <summary>
/// Paces batches to a rate in events per second: each batch may go once the previous batches'
/// share of time has passed, and then books its own. The first batch goes at once. Time spent
/// idle (a full channel) earns no burst afterwards, so the rate is never exceeded.
/// </summary>
internal sealed class EventRateLimiter(int eventsPerSecond, TimeProvider time)
{
    private long _nextFree = long.MinValue;

    public async ValueTask AcquireAsync(int events, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var start = Math.Max(now, _nextFree);
        if (start > now)
        {
            await Task.Delay(time.GetElapsedTime(now, start), time, cancellationToken).ConfigureAwait(false);
        }
        _nextFree = start + (long)Math.Ceiling(events * (double)time.TimestampFrequency / eventsPerSecond);
    }
}
