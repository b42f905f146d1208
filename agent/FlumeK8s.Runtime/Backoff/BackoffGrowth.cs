namespace FlumeK8s.Runtime.Backoff;

/// <summary>How a <see cref="CappedBackoff"/> delay grows with each further failure in a row, up to its cap.</summary>
public enum BackoffGrowth
{
    /// <summary>first × 2^(n-1): retries against something that may stay down for long.</summary>
    Doubling,

    /// <summary>first × n: Flume's idle sleep for runners (<c>backoffSleepIncrement</c>).</summary>
    Linear,
}
