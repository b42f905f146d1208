using FlumeK8s.Runtime.Backoff;

namespace FlumeK8s.Runtime.Processors;

/// <summary>
/// Flume's sink penalty (failover's <c>maxpenalty</c>, load balancing's <c>selector.maxTimeOut</c>):
/// 1 s × 2^k for the k-th failure in a row, so 2 s after the first, capped at <paramref name="max"/>.
/// </summary>
public static class Penalty
{
    private static readonly TimeSpan AfterFirstFailure = TimeSpan.FromSeconds(2);

    public static CappedBackoff UpTo(TimeSpan max) => new(AfterFirstFailure, max);
}
