using System.Buffers;
using System.Text;
using Confluent.Kafka;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Kafka;
using FlumeK8s.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Kafka;

/// <summary>
/// Publishes each taken batch to Kafka with an idempotent producer and commits the take only
/// when the broker acknowledged every record of the batch. Any failed record fails the batch:
/// the take rolls back (counted as RollbackCount) and the whole batch is sent again later, so
/// nothing is lost; records of a failed batch that did arrive may arrive twice.
/// Topic: the event's <c>topicHeader</c> header when <c>allowTopicOverride</c>, else
/// <c>kafka.topic</c>; key: the <c>key</c> header; partition: see <see cref="KafkaPartitionChoice"/>.
/// </summary>
public sealed partial class KafkaSink : BatchSink, ILifecycle
{
    private readonly KafkaSinkSettings _settings;
    private readonly KafkaPartitionChoice _partitions;
    private readonly KafkaBatchProducer _producer;
    private readonly ArrayBufferWriter<byte> _scratch = new();
    // One message object serves every record: the client copies what it needs during Produce and
    // keeps no reference to it, and batches hand their records over one at a time, in their turn.
    private readonly Message<byte[]?, byte[]> _message = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal KafkaSink(string name, IChannel channel, KafkaSinkSettings settings, AgentServices services)
        : base(name, "kafka", channel, settings.BatchSize, KafkaCounters.Sink)
    {
        _settings = settings;
        _partitions = new KafkaPartitionChoice(settings.PartitionIdHeader, settings.DefaultPartitionId);
        _time = services.Time;
        _logger = services.Logs.CreateLogger<KafkaSink>();
        _producer = new KafkaBatchProducer($"sink {name}", settings.Connection.Producer, _time, _logger);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _producer.Open();
        }
        catch (Exception)
        {
            Counter.IncrementConnectionFailed();
            throw;
        }
        Counter.IncrementConnectionCreated();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _producer.Dispose();
        Counter.IncrementConnectionClosed();
        return Task.CompletedTask;
    }

    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            // The turn (take order, one batch at a time) covers the hand-over, not the wait for the
            // acknowledgements: the next batch is produced meanwhile, and the idempotent producer
            // keeps each partition's records in the order they were handed over, the channel's.
            await WaitForTurnAsync(batch, cancellationToken).ConfigureAwait(false);
            KafkaDeliveryBatch delivery;
            try
            {
                // The client is taken once this batch may produce: a batch before it may have retired
                // a client that failed while this one waited.
                delivery = _producer.Begin();
                await ProduceAllAsync(batch, delivery, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                EndTurn(batch);
            }
            await _producer.CompleteAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Counter.AddExtra(KafkaCounters.RollbackCount, 1);
            LogBatchFailed(_logger, Name, batch.Count, e.Message);
            throw new SinkDeliveryException($"Kafka sink {Name}: a batch of {batch.Count} events was not acknowledged; it stays in the channel", e);
        }
        finally
        {
            Counter.AddExtra(KafkaCounters.EventSendTimer, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    // Hands the batch's records to the client, one batch at a time (the caller holds its turn). A
    // failure seals the delivery, so the acknowledgements of what was handed over are not waited for.
    private async ValueTask ProduceAllAsync(IReadOnlyList<Event> batch, KafkaDeliveryBatch delivery, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var @event = batch[i];
                var partition = _partitions.For(@event, out var badPartition);
                if (badPartition is not null)
                {
                    LogBadPartitionHeader(_logger, Name, _settings.PartitionIdHeader!, badPartition);
                }
                _message.Key = @event.GetHeader(KafkaSinkSettings.KeyHeader) is { } key ? Encoding.UTF8.GetBytes(key) : null;
                _message.Value = KafkaRecordCodec.EncodeValue(@event, _settings.UseFlumeEventFormat, _scratch);
                _message.Headers = KafkaRecordCodec.EncodeHeaders(@event, _settings.UseFlumeEventFormat);
                await _producer.ProduceAsync(delivery, TopicOf(@event), partition, _message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            KafkaBatchProducer.Abort(delivery);
            throw;
        }
    }

    private string TopicOf(Event @event) =>
        _settings.AllowTopicOverride && @event.GetHeader(_settings.TopicHeader) is { Length: > 0 } topic ? topic : _settings.Topic;
}
