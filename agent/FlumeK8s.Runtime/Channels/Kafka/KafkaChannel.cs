using Confluent.Kafka;
using FlumeK8s.Runtime.Kafka;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Channels.Kafka;

/// <summary>
/// A Kafka topic as a durable channel, interoperable with Flume's Kafka channel (values are
/// Avro <c>AvroFlumeEvent</c>s while <c>parseAsFlumeEvent</c>). A put transaction produces its
/// events on commit and commits only when the broker acknowledged all of them. A take transaction
/// reads with the channel's consumer and commits the consumer group's offsets on commit; a
/// rollback seeks every partition it read back to its first uncommitted offset.
/// One consumer serves the channel, so one take transaction reads at a time (it holds the consumer
/// from its first take to its end; a concurrent take finds the channel empty): parallel reading
/// comes from more channels or agents in the same consumer group. Size and capacity are not
/// known to a Kafka client and stay 0.
/// </summary>
public sealed partial class KafkaChannel : IChannel
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(15);

    private readonly KafkaChannelSettings _settings;
    private readonly KafkaPartitionChoice _partitions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncSignal _consumerFreed = new();
    private readonly object _gate = new();
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private int _consumerHeld;
    private ConsumeResult<byte[]?, byte[]?>? _peeked;
    private PartitionOffsets? _reading; // the offsets of the take transaction that holds the consumer

    internal KafkaChannel(string name, KafkaChannelSettings settings, TimeProvider time, ILoggerFactory logs)
    {
        Name = name;
        _settings = settings;
        _partitions = new KafkaPartitionChoice(settings.PartitionIdHeader, settings.DefaultPartitionId);
        _time = time;
        _logger = logs.CreateLogger<KafkaChannel>();
        Producer = new KafkaBatchProducer($"channel {name}", settings.Connection.Producer, time, _logger);
        Counter = new ChannelCounter(name, "kafka", KafkaCounters.Channel);
    }

    public string Name { get; }

    public ChannelCounter Counter { get; }

    public string? UnhealthyReason => null;

    internal KafkaChannelSettings Settings => _settings;

    public int TransactionCapacity => _settings.TransactionCapacity;

    internal KafkaBatchProducer Producer { get; }

    internal KafkaPartitionChoice Partitions => _partitions;

    internal TimeProvider Time => _time;

    internal ILogger Logger => _logger;

    public IChannelTransaction BeginTransaction() => new KafkaTransaction(this).Open();

    /// <summary>Connects, joins the consumer group and waits (a bounded time) for its partitions, so a take right after start can see committed events.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Producer.Open();
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(_settings.Connection.Consumer.Items)
            .SetLogHandler((_, message) => KafkaClientLog.Forward(_logger, $"channel {Name}", message))
            .SetErrorHandler((_, error) => KafkaClientLog.Error(_logger, $"channel {Name}", error))
            .SetPartitionsAssignedHandler((_, partitions) => LogAssigned(_logger, Name, string.Join(", ", partitions)))
            .SetPartitionsRevokedHandler((_, partitions) => OnPartitionsGone(partitions.Select(p => p.TopicPartition).ToList()))
            .SetPartitionsLostHandler((_, partitions) => OnPartitionsGone(partitions.Select(p => p.TopicPartition).ToList()))
            .Build();
        _consumer.Subscribe(_settings.Topic);
        Acquire();
        try
        {
            var consumer = _consumer;
            await Task.Run(() => Peek(consumer, StartWait, () => consumer.Assignment.Count > 0, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Producer.Dispose();
        // A read in progress (a sink's wait) ends within one poll slice; the client must not be closed under it.
        var deadline = _time.GetTimestamp();
        while (!TryAcquire() && _consumer is not null && _time.GetElapsedTime(deadline) < StartWait)
        {
            await _consumerFreed.WaitUnlessAsync(_gate, () => Volatile.Read(ref _consumerHeld) == 0, PollSlice, _time, cancellationToken).ConfigureAwait(false);
        }
        IConsumer<byte[]?, byte[]?>? closing;
        lock (_gate)
        {
            closing = _consumer;
            _consumer = null;
        }
        if (closing is not null)
        {
            closing.Close();
            closing.Dispose();
        }
        Release();
    }

    /// <summary>Reads ahead one record (kept for the next take) to learn that there is something to take.</summary>
    public async Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _peeked) is not null)
        {
            return;
        }
        if (!TryAcquire())
        {
            // Another transaction reads: it will release the consumer when it ends.
            await _consumerFreed.WaitUnlessAsync(_gate, () => Volatile.Read(ref _consumerHeld) == 0, maxWait, _time, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            if (_consumer is { } consumer)
            {
                await Task.Run(() => Peek(consumer, maxWait, static () => false, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Release();
        }
    }

    internal bool TryAcquire()
    {
        lock (_gate)
        {
            if (_consumerHeld != 0 || _consumer is null)
            {
                return false;
            }
            _consumerHeld = 1;
            return true;
        }
    }

    internal void Release()
    {
        lock (_gate)
        {
            _consumerHeld = 0;
            _reading = null;
        }
        _consumerFreed.Pulse();
    }

    /// <summary>Takes up to <paramref name="max"/> records; waits up to <c>pollTimeout</c> only when none is at hand. The caller holds the consumer.</summary>
    internal int Take(List<ConsumeResult<byte[]?, byte[]?>> destination, int max, PartitionOffsets offsets)
    {
        var consumer = _consumer ?? throw new ChannelException($"Channel {Name} is stopped");
        _reading = offsets;
        var started = _time.GetTimestamp();
        var taken = 0;
        try
        {
            if (Interlocked.Exchange(ref _peeked, null) is { } peeked && taken < max)
            {
                Add(peeked);
            }
            Drain();
            if (taken == 0 && max > 0 && consumer.Consume(_settings.PollTimeout) is { } first)
            {
                Add(first);
                Drain();
            }
        }
        catch (KafkaException e)
        {
            throw new ChannelException($"Channel {Name}: reading topic {_settings.Topic} failed: {e.Error.Reason}", e);
        }
        finally
        {
            Counter.AddExtra(KafkaCounters.EventGetTimer, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        }
        return taken;

        void Drain()
        {
            while (taken < max && consumer.Consume(TimeSpan.Zero) is { } record)
            {
                Add(record);
            }
        }

        void Add(ConsumeResult<byte[]?, byte[]?> record)
        {
            destination.Add(record);
            offsets.Add(record.TopicPartition, record.Offset.Value);
            taken++;
        }
    }

    /// <summary>Commits the group's offsets past what the transaction read. The caller holds the consumer.</summary>
    internal void CommitOffsets(PartitionOffsets offsets)
    {
        if (offsets.IsEmpty || _consumer is not { } consumer)
        {
            return;
        }
        var started = _time.GetTimestamp();
        try
        {
            consumer.Commit(offsets.NextOffsets());
        }
        catch (KafkaException e)
        {
            throw new ChannelException($"Channel {Name}: committing offsets of topic {_settings.Topic} failed: {e.Error.Reason}", e);
        }
        finally
        {
            Counter.AddExtra(KafkaCounters.CommitTimer, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Seeks every partition the transaction read back to its first offset. The caller holds the consumer.</summary>
    internal void Rewind(PartitionOffsets offsets)
    {
        if (_consumer is not { } consumer)
        {
            return;
        }
        foreach (var first in offsets.FirstOffsets())
        {
            try
            {
                consumer.Seek(first);
            }
            catch (KafkaException e)
            {
                // The partition moved to another member meanwhile; it reads from the last committed offset.
                LogSeekFailed(_logger, Name, first.ToString(), e.Error.Reason);
            }
        }
    }

    // Blocks in the client's poll until a record arrives (kept as the peeked one), done() holds, or the time is up.
    private void Peek(IConsumer<byte[]?, byte[]?> consumer, TimeSpan maxWait, Func<bool> done, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested && !done())
        {
            var left = maxWait - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }
            if (consumer.Consume(left < PollSlice ? left : PollSlice) is { } record)
            {
                Volatile.Write(ref _peeked, record);
                return;
            }
        }
    }

    // Runs inside Consume, on the thread of whoever holds the consumer.
    private void OnPartitionsGone(List<TopicPartition> partitions)
    {
        _reading?.Forget(partitions);
        if (Volatile.Read(ref _peeked) is { } peeked && partitions.Contains(peeked.TopicPartition))
        {
            Volatile.Write(ref _peeked, null);
        }
        LogPartitionsGone(_logger, Name, string.Join(", ", partitions));
    }

    private void Acquire()
    {
        if (!TryAcquire())
        {
            throw new InvalidOperationException($"Channel {Name}: the consumer is busy while starting");
        }
    }
}
