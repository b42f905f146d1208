using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>
/// Drives a sink as the runner does with batches in flight: that many loops calling ProcessAsync at
/// once, each until the channel has nothing left for it. Returns the most calls seen in progress at once.
/// </summary>
internal static class ConcurrentDrain
{
    public static async Task<int> RunAsync(ISink sink, int lanes, TimeSpan? timeout = null)
    {
        var inProgress = 0;
        var most = 0;
        async Task LaneAsync()
        {
            await Task.Yield();
            while (true)
            {
                var now = Interlocked.Increment(ref inProgress);
                InterlockedMax(ref most, now);
                PollStatus status;
                try
                {
                    status = await sink.ProcessAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref inProgress);
                }
                if (status == PollStatus.Backoff)
                {
                    return;
                }
            }
        }
        await Eventually.Within(Task.WhenAll(Enumerable.Range(0, lanes).Select(_ => LaneAsync())), timeout ?? TimeSpan.FromSeconds(60));
        return most;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }
}
