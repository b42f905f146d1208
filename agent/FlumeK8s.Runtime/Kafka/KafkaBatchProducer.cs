using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// Produces a batch of records and waits until the broker acknowledged every one of them, for
/// the Kafka sink and the Kafka channel's puts. A fatal client error (the idempotent producer's
/// sequence broke) poisons the producer; the next batch builds a new one, as librdkafka requires.
/// </summary>
internal sealed class KafkaBatchProducer(string component, KafkaProperties properties, TimeProvider time, ILogger logger) : IDisposable
{
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(5);

    private IProducer<byte[]?, byte[]>? _producer;
    private volatile bool _poisoned;
    private KafkaDeliveryBatch? _batch;

    /// <summary>Creates the client now, so a bad property fails the component's start rather than its first batch.</summary>
    public void Open()
    {
        _producer ??= Build();
    }

    /// <summary>Starts a batch; <see cref="Produce"/> adds to it, <see cref="CompleteAsync"/> waits for it.</summary>
    public void Begin()
    {
        Debug.Assert(_batch is null, "one batch at a time");
        if (_poisoned || _producer is null)
        {
            _producer?.Dispose();
            _producer = Build();
            _poisoned = false;
        }
        _batch = new KafkaDeliveryBatch();
    }

    /// <summary>Hands one record to the client, waiting while its local queue is full.</summary>
    public async ValueTask ProduceAsync(string topic, Partition partition, Message<byte[]?, byte[]> message, CancellationToken cancellationToken)
    {
        var batch = _batch ?? throw new InvalidOperationException("Begin a batch first");
        var destination = new TopicPartition(topic, partition);
        while (true)
        {
            batch.Expect();
            try
            {
                _producer!.Produce(destination, message, batch.Handler);
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
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var batch = _batch ?? throw new InvalidOperationException("Begin a batch first");
        _batch = null;
        batch.Seal();
        await batch.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (batch.FirstError is { } error)
        {
            _poisoned |= error.IsFatal;
            throw new KafkaException(new Error(error.Code, $"{batch.Failed} records of the batch were not acknowledged: {error.Reason}", error.IsFatal));
        }
    }

    /// <summary>Ends an unfinished batch (an error while producing): the records already handed over may still be delivered.</summary>
    public void Abort()
    {
        _batch?.Seal();
        _batch = null;
    }

    public void Dispose()
    {
        if (_producer is not null)
        {
            // Lets records already handed over reach the broker; their batch was already answered for.
            _producer.Flush(TimeSpan.FromSeconds(5));
            _producer.Dispose();
            _producer = null;
        }
    }

    private IProducer<byte[]?, byte[]> Build()
    {
        KafkaNativeLibrary.EnsureLoaded();
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
