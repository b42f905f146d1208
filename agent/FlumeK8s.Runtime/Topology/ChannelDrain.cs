using FlumeK8s.Runtime.Channels;

namespace FlumeK8s.Runtime.Topology;

/// <summary>Waits while sinks empty channels: for shutdown, for a reload that drops channels, for a failed start.</summary>
internal static class ChannelDrain
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Waits until <paramref name="channels"/> hold nothing, <paramref name="limit"/> passes, or (with
    /// a <paramref name="stall"/>) their total has not fallen for that long: sinks that fail every
    /// batch will not empty them, however long we wait. Counts <see cref="IChannel.EventsHeld"/>, so
    /// a batch taken but not yet acknowledged downstream is still there, and a take that will be
    /// rolled back is no progress. Returns the events left.
    /// </summary>
    public static async Task<long> WaitAsync(IEnumerable<IChannel> channels, TimeSpan limit, TimeSpan? stall,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var watched = channels.ToList();
        var started = time.GetTimestamp();
        var progressed = started;
        var left = Left(watched);
        while (left > 0 && time.GetElapsedTime(started) < limit && (stall is null || time.GetElapsedTime(progressed) < stall))
        {
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            var now = Left(watched);
            if (now < left)
            {
                progressed = time.GetTimestamp();
            }
            left = now;
        }
        return left;
    }

    private static long Left(IEnumerable<IChannel> channels) => channels.Sum(c => c.EventsHeld);
}
