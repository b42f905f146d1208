namespace FlumeK8s.Runtime.Backoff;

/// <summary>
/// The one backoff policy of the agent and the operator: after <c>n</c> failures in a row (fewer than
/// one count as one) wait <see cref="First"/> grown by <see cref="Growth"/>, never more than
/// <see cref="Max"/>; with <see cref="Jitter"/> (a fraction, e.g. 0.2), the delay is spread uniformly
/// over ± that share and still capped, so clients that failed together do not return together.
/// A policy only computes: the caller keeps the failure count, the clock and the random source.
/// </summary>
public sealed record CappedBackoff(TimeSpan First, TimeSpan Max, BackoffGrowth Growth = BackoffGrowth.Doubling, double Jitter = 0)
{
    /// <param name="random">Required when <see cref="Jitter"/> is set: one draw per call.</param>
    public TimeSpan Delay(int consecutiveFailures, Random? random = null)
    {
        var nominal = Nominal(Math.Max(1, consecutiveFailures));
        if (Jitter == 0)
        {
            return nominal;
        }
        ArgumentNullException.ThrowIfNull(random);
        var jittered = nominal.TotalMilliseconds * (1 + Jitter * (2 * random.NextDouble() - 1));
        return TimeSpan.FromMilliseconds(Math.Min(Max.TotalMilliseconds, jittered));
    }

    // Compared before multiplying, so a long run of failures reaches the cap instead of overflowing.
    private TimeSpan Nominal(int failures)
    {
        var first = First.Ticks;
        if (Growth == BackoffGrowth.Linear)
        {
            return first > Max.Ticks / failures ? Max : TimeSpan.FromTicks(first * failures);
        }
        var doublings = Math.Min(failures - 1, 62);
        return first > Max.Ticks >> doublings ? Max : TimeSpan.FromTicks(first << doublings);
    }
}
