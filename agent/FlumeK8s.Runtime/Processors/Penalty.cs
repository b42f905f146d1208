namespace FlumeK8s.Runtime.Processors;

/// <summary>Flume's exponential penalty: min(max, 1 s × 2^failures), failures counted from 1.</summary>
public static class Penalty
{
    public static TimeSpan For(int consecutiveFailures, TimeSpan max)
    {
        var exponent = Math.Clamp(consecutiveFailures, 0, 30);
        var millis = Math.Min(max.TotalMilliseconds, 1000.0 * (1L << exponent));
        return TimeSpan.FromMilliseconds(millis);
    }
}
