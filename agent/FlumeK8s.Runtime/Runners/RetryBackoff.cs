namespace FlumeK8s.Runtime.Runners;

/// <summary>
/// How long to wait before trying again after consecutive failures: doubling from
/// <see cref="Initial"/> up to <see cref="Max"/>. Sources offering a refused batch again, sinks that
/// could not start, and failed channels being reopened all wait by it.
/// </summary>
internal sealed record RetryBackoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>
    /// For a component that cannot run (a sink that failed to start, a file channel to reopen): soon
    /// enough to heal quickly once the cause is gone, rarely enough that a lasting cause (a full or
    /// unwritable disk) does not restart things every few seconds.
    /// </summary>
    public static readonly RetryBackoff ComponentRestart = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    public TimeSpan Delay(int failedAttempts)
    {
        var doublings = Math.Clamp(failedAttempts - 1, 0, 30);
        var ticks = Initial.Ticks * (1L << doublings);
        return TimeSpan.FromTicks(ticks <= 0 || ticks > Max.Ticks ? Max.Ticks : ticks);
    }
}
