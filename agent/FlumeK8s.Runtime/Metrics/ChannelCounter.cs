namespace FlumeK8s.Runtime.Metrics;

/// <summary>Flume's channel counters; size and capacity are gauges the channel keeps current.</summary>
public class ChannelCounter : ComponentCounter
{
    public static readonly IReadOnlyList<string> Attributes =
    [
        "ChannelSize", "ChannelCapacity", "EventPutAttemptCount", "EventPutSuccessCount",
        "EventTakeAttemptCount", "EventTakeSuccessCount",
    ];

    public ChannelCounter(string name, string componentType, IReadOnlyList<string>? extraAttributes = null)
        : base("CHANNEL", name, componentType, [.. Attributes, .. extraAttributes ?? []])
    {
    }

    public long Size => Read(0);
    public long Capacity => Read(1);

    public void SetSize(long size) => Set(0, size);
    public void SetCapacity(long capacity) => Set(1, capacity);
    public void AddPutAttempts(long n) => Add(2, n);
    public void AddPutSuccesses(long n) => Add(3, n);
    public void AddTakeAttempts(long n) => Add(4, n);
    public void AddTakeSuccesses(long n) => Add(5, n);

    public long PutSuccesses => Read(3);
    public long TakeSuccesses => Read(5);

    /// <summary>Percentage of capacity in use, as Flume reports it.</summary>
    public double FillPercentage => Capacity == 0 ? 0 : Size * 100.0 / Capacity;

    public void AddExtra(string attribute, long n) => Add(IndexOf(attribute), n);

    public void SetExtra(string attribute, long value) => Set(IndexOf(attribute), value);
}
