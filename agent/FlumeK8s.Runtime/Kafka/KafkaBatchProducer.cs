using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// Produces batches of records and waits until the broker acknowledged every record of a batch,
/// for the Kafka sink and the Kafka channel's puts. Batches may be in flight concurrently (one
/// client serves them all). A fatal client error (the idempotent producer's sequence broke)
/// poisons the client; the next batch gets a new one, as librdkafka requires.
/// </summary>
internal sealed class KafkaBatchProducer(string component, KafkaProperties properties, TimeProvider time, ILogger logger) : IDisposable
{
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(5);

    private readonly Lock _gate = new();
    private IProducer<byte[]?, byte[]>? _producer;
    private volatile bool _poisoned;

    /// <summary>Creates the client now, so a bad property fails the component's start rather than its first batch.</summary>
    public void Open() => Client();

    /// <summary>Starts a batch: produce into it, then complete or abort it.</summary>
    public KafkaDeliveryBatch Begin() => new(Client());

    /// <summary>Hands one record to the client, waiting while its local queue is full.</summary>
    public async ValueTask ProduceAsync(KafkaDeliveryBatch batch, string topic, Partition partition, Message<byte[]?, byte[]> message, CancellationToken cancellationToken)
    {
        var destination = batch.Destination(topic, partition);
        while (true)
        {
            batch.Expect();
            try
            {
                batch.Producer.Produce(destination, message, batch.Handler);
                return;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                batch.Abandon();
            }
            catch (Exception)
            {
                batch.Abandon();
                throw;
            }
            await Task.Delay(QueueFullWait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for every delivery report of the batch; throws <see cref="KafkaException"/> with the first error if any record failed.</summary>
    public async Task CompleteAsync(KafkaDeliveryBatch batch, CancellationToken cancellationToken)
    {
        batch.Seal();
        await batch.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (batch.FirstError is { } error)
        {
            _poisoned |= error.IsFatal;
            throw new KafkaException(new Error(error.Code, $"{batch.Failed} records of the batch were not acknowledged: {error.Reason}", error.IsFatal));
        }
    }

    /// <summary>Ends a batch that failed while producing; records already handed over may still be delivered.</summary>
    public static void Abort(KafkaDeliveryBatch batch) => batch.Seal();

    public void Dispose()
    {
        IProducer<byte[]?, byte[]>? producer;
        lock (_gate)
        {
            producer = _producer;
            _producer = null;
        }
        Retire(producer);
    }

    private IProducer<byte[]?, byte[]> Client()
    {
        IProducer<byte[]?, byte[]>? retired = null;
        IProducer<byte[]?, byte[]> current;
        lock (_gate)
        {
            if (_poisoned || _producer is null)
            {
                retired = _producer;
                _producer = Build();
                _poisoned = false;
            }
            current = _producer;
        }
        Retire(retired);
        return current;
    }

    // Lets records already handed over reach the broker (their batches get their reports), then frees the client.
    private static void Retire(IProducer<byte[]?, byte[]>? producer)
    {
        if (producer is null)
        {
            return;
        }
        producer.Flush(TimeSpan.FromSeconds(5));
        producer.Dispose();
    }

    private IProducer<byte[]?, byte[]> Build()
    {
        return new ProducerBuilder<byte[]?, byte[]>(properties.Items)
            .SetLogHandler((_, message) => KafkaClientLog.Forward(logger, component, message))
            .SetErrorHandler((_, error) =>
            {
                _poisoned |= error.IsFatal;
                KafkaClientLog.Error(logger, component, error);
            })
            .Build();
    }
}
