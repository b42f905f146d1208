namespace FlumeK8s.Runtime.Metrics;

/// <summary>Flume's source counters.</summary>
public class SourceCounter : ComponentCounter
{
    public static readonly IReadOnlyList<string> Attributes =
    [
        "EventReceivedCount", "EventAcceptedCount", "AppendReceivedCount", "AppendAcceptedCount",
        "AppendBatchReceivedCount", "AppendBatchAcceptedCount", "OpenConnectionCount",
        "EventReadFail", "ChannelWriteFail", "GenericProcessingFail",
    ];

    public SourceCounter(string name, string componentType, IReadOnlyList<string>? extraAttributes = null)
        : base("SOURCE", name, componentType, [.. Attributes, .. extraAttributes ?? []])
    {
    }

    public void AddEventsReceived(long n) => Add(0, n);
    public void AddEventsAccepted(long n) => Add(1, n);
    public void IncrementAppendReceived() => Add(2, 1);
    public void IncrementAppendAccepted() => Add(3, 1);
    public void IncrementAppendBatchReceived() => Add(4, 1);
    public void IncrementAppendBatchAccepted() => Add(5, 1);
    public void ConnectionOpened() => Add(6, 1);
    public void ConnectionClosed() => Add(6, -1);
    public void IncrementEventReadFail() => Add(7, 1);
    public void IncrementChannelWriteFail() => Add(8, 1);
    public void IncrementGenericProcessingFail() => Add(9, 1);

    public long EventsReceived => Read(0);
    public long EventsAccepted => Read(1);
    public long ChannelWriteFails => Read(8);

    /// <summary>Adds to an extra attribute declared at construction.</summary>
    public void AddExtra(string attribute, long n) => Add(IndexOf(attribute), n);
}
