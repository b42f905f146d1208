namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>How long a source waits before offering a refused batch again: doubling from <see cref="Initial"/> up to <see cref="Max"/>.</summary>
internal sealed record RetryBackoff(TimeSpan Initial, TimeSpan Max)
{
    public TimeSpan Delay(int failedAttempts)
    {
        var doublings = Math.Clamp(failedAttempts - 1, 0, 30);
        var ticks = Initial.Ticks * (1L << doublings);
        return TimeSpan.FromTicks(ticks <= 0 || ticks > Max.Ticks ? Max.Ticks : ticks);
    }
}
