using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Stress;

/// <summary>
/// The stress source's properties, with Flume's names and defaults: <c>size</c> body bytes,
/// <c>maxTotalEvents</c> (attempts, failed ones included) and <c>maxSuccessfulEvents</c>
/// (committed), -1 meaning no limit; <c>batchSize</c>; <c>maxEventsPerSecond</c>, 0 meaning
/// as fast as the channel takes them.
/// </summary>
public sealed record StressSourceSettings(int Size, long MaxTotalEvents, long MaxSuccessfulEvents, int BatchSize, int MaxEventsPerSecond)
{
    public static StressSourceSettings Read(ComponentContext context) => new(
        context.GetInt("size", 500, min: 0, max: 64 * 1024 * 1024),
        context.GetLong("maxTotalEvents", -1, min: -1),
        context.GetLong("maxSuccessfulEvents", -1, min: -1),
        context.GetInt("batchSize", 1, min: 1),
        context.GetInt("maxEventsPerSecond", 0, min: 0));
}
