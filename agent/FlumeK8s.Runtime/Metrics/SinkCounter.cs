namespace FlumeK8s.Runtime.Metrics;

/// <summary>Flume's sink counters.</summary>
public class SinkCounter : ComponentCounter
{
    public static readonly IReadOnlyList<string> Attributes =
    [
        "ConnectionCreatedCount", "ConnectionClosedCount", "ConnectionFailedCount", "BatchEmptyCount",
        "BatchUnderflowCount", "BatchCompleteCount", "EventDrainAttemptCount", "EventDrainSuccessCount",
        "EventWriteFail", "ChannelReadFail",
    ];

    public SinkCounter(string name, string componentType, IReadOnlyList<string>? extraAttributes = null)
        : base("SINK", name, componentType, [.. Attributes, .. extraAttributes ?? []])
    {
    }

    public void IncrementConnectionCreated() => Add(0, 1);
    public void IncrementConnectionClosed() => Add(1, 1);
    public void IncrementConnectionFailed() => Add(2, 1);
    public void AddEventsDrainAttempted(long n) => Add(6, n);
    public void AddEventsDrained(long n) => Add(7, n);
    public void IncrementEventWriteFail() => Add(8, 1);
    public void IncrementChannelReadFail() => Add(9, 1);

    /// <summary>Classifies a taken batch the way Flume does: empty, underflow or complete.</summary>
    public void CountBatch(int taken, int batchSize)
    {
        Add(taken == 0 ? 3 : taken < batchSize ? 4 : 5, 1);
    }

    public long EventsDrained => Read(7);

    public void AddExtra(string attribute, long n) => Add(IndexOf(attribute), n);
}
