using System.Buffers;
using System.Text;
using Confluent.Kafka;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Kafka;

namespace FlumeK8s.Runtime.Channels.Kafka;

/// <summary>One transaction of a <see cref="KafkaChannel"/>: puts produced on commit, takes read through the channel's consumer.</summary>
internal sealed class KafkaTransaction(KafkaChannel channel) : ChannelTransactionBase
{
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _records = [];
    private readonly PartitionOffsets _offsets = new();
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private bool _holdsConsumer;

    protected override int TransactionCapacity => channel.TransactionCapacity;

    protected override string ChannelName => channel.Name;

    public KafkaTransaction Open()
    {
        Reset();
        return this;
    }

    protected override void OnPut(Event @event)
    {
    }

    protected override void OnRollbackPuts(List<Event> puts) => channel.Counter.AddPutAttempts(puts.Count);

    protected override async ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken)
    {
        var settings = channel.Settings;
        var started = channel.Time.GetTimestamp();
        channel.Counter.AddPutAttempts(puts.Count);
        var delivery = channel.Producer.Begin();
        try
        {
            try
            {
                foreach (var @event in puts)
                {
                    var partition = channel.Partitions.For(@event, out var badPartition);
                    if (badPartition is not null)
                    {
                        KafkaChannel.LogBadPartitionHeader(channel.Logger, channel.Name, settings.PartitionIdHeader!, badPartition);
                    }
                    var message = new Message<byte[]?, byte[]>
                    {
                        Key = @event.GetHeader("key") is { } key ? Encoding.UTF8.GetBytes(key) : null,
                        Value = KafkaRecordCodec.EncodeValue(@event, settings.ParseAsFlumeEvent, _scratch),
                        Headers = KafkaRecordCodec.EncodeHeaders(@event, settings.ParseAsFlumeEvent),
                    };
                    await channel.Producer.ProduceAsync(delivery, settings.Topic, partition, message, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                KafkaBatchProducer.Abort(delivery);
                throw;
            }
            await channel.Producer.CompleteAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            channel.Counter.AddExtra(KafkaCounters.RollbackCount, 1);
            throw new ChannelException($"Channel {channel.Name}: {puts.Count} events were not acknowledged by topic {settings.Topic}: {e.Error.Reason}", e);
        }
        finally
        {
            channel.Counter.AddExtra(KafkaCounters.EventSendTimer, (long)channel.Time.GetElapsedTime(started).TotalMilliseconds);
        }
        channel.Counter.AddPutSuccesses(puts.Count);
    }

    protected override int OnTake(List<Event> destination, int maxEvents)
    {
        if (!_holdsConsumer)
        {
            if (!channel.TryAcquire())
            {
                channel.Counter.AddTakeAttempts(1);
                return 0;
            }
            _holdsConsumer = true;
        }
        var start = _records.Count;
        var taken = channel.Take(_records, maxEvents, _offsets);
        for (var i = start; i < start + taken; i++)
        {
            destination.Add(ToEvent(_records[i]));
        }
        channel.Counter.AddTakeAttempts(taken < maxEvents ? taken + 1 : taken);
        return taken;
    }

    protected override ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken)
    {
        if (_holdsConsumer)
        {
            channel.CommitOffsets(_offsets);
            channel.Counter.AddTakeSuccesses(takes.Count);
            Finish();
        }
        return ValueTask.CompletedTask;
    }

    protected override void OnRollbackTakes(List<Event> takes)
    {
        if (!_holdsConsumer)
        {
            return;
        }
        if (!_offsets.IsEmpty)
        {
            channel.Rewind(_offsets);
            channel.Counter.AddExtra(KafkaCounters.RollbackCount, 1);
        }
        Finish();
    }

    private void Finish()
    {
        _records.Clear();
        _offsets.Clear();
        _holdsConsumer = false;
        channel.Release();
    }

    private Event ToEvent(ConsumeResult<byte[]?, byte[]?> record)
    {
        try
        {
            var (body, headers) = KafkaRecordCodec.Decode(record.Message.Value, record.Message.Headers, channel.Settings.ParseAsFlumeEvent);
            return new Event(body, headers);
        }
        catch (AvroFormatException)
        {
            // Not written by a Flume channel: keep it, raw, rather than block the channel or drop it.
            KafkaChannel.LogNotFlumeEvent(channel.Logger, channel.Name, record.TopicPartitionOffset.ToString());
            return new Event(record.Message.Value ?? []);
        }
    }
}
