using Confluent.Kafka;
using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Kafka;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sources.Delivery;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Kafka;

/// <summary>
/// Reads Kafka topics as a member of a consumer group. Each batch (up to <c>batchSize</c> records
/// or <c>batchDurationMillis</c>) goes to the channel first; its offsets are committed only after
/// the channel committed it, so a crash repeats at most one batch and never loses one. A batch the
/// channel refuses is held and offered again (no new reads meanwhile: backpressure). Partitions
/// revoked or lost in a rebalance before delivery leave the batch; see <see cref="KafkaSourceBatch"/>.
/// The loop blocks in the client's poll, on a thread of its own from the pool.
/// </summary>
public sealed partial class KafkaSource : ISource
{
    private static readonly CappedBackoff ChannelRetry = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    private readonly KafkaSourceSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BatchDelivery _delivery;
    private readonly BackgroundWork _work = new();
    private readonly KafkaSourceBatch _batch;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private int _assigned;

    internal KafkaSource(string name, KafkaSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        Counter = new SourceCounter(name, "kafka", KafkaCounters.Source);
        _settings = settings;
        _time = services.Time;
        _logger = services.Logs.CreateLogger<KafkaSource>();
        _delivery = new BatchDelivery(name, processor, Counter, _time, _logger);
        _batch = new KafkaSourceBatch(settings);
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>Partitions this source owns right now.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assigned);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(_settings.Connection.Consumer.Items)
            .SetLogHandler((_, message) => KafkaClientLog.Forward(_logger, $"source {Name}", message))
            .SetErrorHandler((_, error) => KafkaClientLog.Error(_logger, $"source {Name}", error))
            .SetPartitionsAssignedHandler((consumer, partitions) =>
            {
                Volatile.Write(ref _assigned, consumer.Assignment.Count + partitions.Count);
                LogAssigned(_logger, Name, string.Join(", ", partitions));
            })
            .SetPartitionsRevokedHandler((_, partitions) => OnPartitionsGone(partitions.Select(p => p.TopicPartition).ToList(), "revoked"))
            .SetPartitionsLostHandler((_, partitions) => OnPartitionsGone(partitions.Select(p => p.TopicPartition).ToList(), "lost"))
            .Build();
        _consumer.Subscribe(_settings.Subscription);
        Counter.ConnectionOpened();
        _work.Start(RunAsync);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _work.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_consumer is { } consumer)
        {
            _consumer = null;
            // Leaving the group at once hands the partitions to the other members without waiting for a session timeout.
            consumer.Close();
            consumer.Dispose();
            Volatile.Write(ref _assigned, 0);
            Counter.ConnectionClosed();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var consumer = _consumer!;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    ReadBatch(consumer, cancellationToken);
                    if (_batch.Count == 0)
                    {
                        Counter.AddExtra(KafkaCounters.EmptyCount, 1);
                        Commit(consumer); // offsets of records dropped in a rebalance, if any
                        continue;
                    }
                    await _delivery.DeliverAsync(_batch.Drafts, ChannelRetry, cancellationToken).ConfigureAwait(false);
                    Commit(consumer);
                }
                catch (KafkaException e)
                {
                    Counter.IncrementGenericProcessingFail();
                    LogReadFailed(_logger, Name, e.Error.Code, e.Error.Reason);
                    await Task.Delay(ChannelRetry.Max, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: an undelivered batch is not committed and is read again by the next owner.
        }
    }

    // Blocks in the client's poll; the slices keep it responsive to a stop.
    private void ReadBatch(IConsumer<byte[]?, byte[]?> consumer, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (_batch.Count < _settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = _settings.BatchDuration - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                break;
            }
            var record = consumer.Consume(left < PollSlice ? left : PollSlice);
            if (record is null || record.IsPartitionEOF)
            {
                continue;
            }
            if (!_batch.Add(record, _time.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                Counter.IncrementEventReadFail();
                LogNotFlumeEvent(_logger, Name, record.Topic, record.Partition.Value, record.Offset.Value);
            }
        }
        Counter.AddExtra(KafkaCounters.EventGetTimer, (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    private void Commit(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_batch.Offsets.IsEmpty)
        {
            _batch.Clear();
            return;
        }
        var started = _time.GetTimestamp();
        try
        {
            consumer.Commit(_batch.Offsets.NextOffsets());
        }
        catch (KafkaException e)
        {
            // The events are in the channel; whoever owns the partitions next reads them again: duplicates at worst.
            LogCommitFailed(_logger, Name, e.Error.Code, e.Error.Reason);
        }
        finally
        {
            Counter.AddExtra(KafkaCounters.CommitTimer, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            _batch.Clear();
        }
    }

    // Runs inside Consume, on the loop's thread, so the batch needs no lock.
    private void OnPartitionsGone(List<TopicPartition> partitions, string how)
    {
        _batch.Forget(partitions);
        Volatile.Write(ref _assigned, Math.Max(0, (_consumer?.Assignment.Count ?? 0) - partitions.Count));
        LogPartitionsGone(_logger, Name, how, string.Join(", ", partitions));
    }
}
