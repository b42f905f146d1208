using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Runners;

/// <summary>
/// How long a runner sleeps: after n idle turns in a row min(n × increment, max); after an error
/// <see cref="OnError"/>. Flume's names: <c>backoffSleepIncrement</c>, <c>maxBackoffSleep</c>;
/// <c>errorBackoffSleep</c> is ours (Flume hard-codes 5 s for sinks).
/// </summary>
public sealed record RunnerBackoff(TimeSpan Increment, TimeSpan Max, TimeSpan OnError)
{
    public static readonly RunnerBackoff Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    public TimeSpan Idle(int consecutiveIdleTurns) =>
        new CappedBackoff(Increment, Max, BackoffGrowth.Linear).Delay(consecutiveIdleTurns);

    public static RunnerBackoff Read(ComponentContext context)
    {
        var increment = context.GetLong("backoffSleepIncrement", 1000, min: 1);
        var max = context.GetLong("maxBackoffSleep", 5000, min: 1);
        var onError = context.GetLong("errorBackoffSleep", 5000, min: 1);
        return new RunnerBackoff(TimeSpan.FromMilliseconds(increment), TimeSpan.FromMilliseconds(max), TimeSpan.FromMilliseconds(onError));
    }
}
