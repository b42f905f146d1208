using Confluent.Kafka;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// The delivery reports of one batch of produced messages: completes when the broker answered
/// for every message, with the first error if any failed. One handler delegate serves the whole
/// batch, so producing costs no per-message closure or task.
/// </summary>
internal sealed class KafkaDeliveryBatch
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending = 1; // one for the producing side, released by Seal
    private Error? _firstError;
    private int _failed;
    private TopicPartition? _destination;

    public KafkaDeliveryBatch(IProducer<byte[]?, byte[]> producer)
    {
        Producer = producer;
        Handler = OnReport;
    }

    /// <summary>The client the batch's records go through, even if a fatal error replaces it meanwhile.</summary>
    public IProducer<byte[]?, byte[]> Producer { get; }

    public Action<DeliveryReport<byte[]?, byte[]>> Handler { get; }

    public int Failed => Volatile.Read(ref _failed);

    public Error? FirstError => Volatile.Read(ref _firstError);

    /// <summary>Where a record goes; consecutive records for the same place share one (immutable) instance.</summary>
    public TopicPartition Destination(string topic, Partition partition)
    {
        if (_destination is not { } last || last.Partition != partition || !string.Equals(last.Topic, topic, StringComparison.Ordinal))
        {
            _destination = new TopicPartition(topic, partition);
        }
        return _destination;
    }

    /// <summary>Call before producing each message.</summary>
    public void Expect() => Interlocked.Increment(ref _pending);

    /// <summary>A message that was counted but could not be handed to the producer.</summary>
    public void Abandon() => Release();

    /// <summary>No more messages will be produced: the batch may complete now.</summary>
    public void Seal() => Release();

    /// <summary>Completes when every expected message has a delivery report.</summary>
    public Task Completion => _done.Task;

    private void OnReport(DeliveryReport<byte[]?, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, report.Error, null);
        }
        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.TrySetResult();
        }
    }
}
