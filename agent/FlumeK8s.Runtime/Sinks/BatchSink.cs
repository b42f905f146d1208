using System.Collections.Concurrent;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Sinks;

/// <summary>
/// The take–deliver–commit cycle every sink shares: take up to <see cref="BatchSize"/> events in
/// one transaction, hand them to <see cref="DeliverAsync"/>, commit only after it returns. A
/// failure rolls back, so the events stay in the channel for the next attempt. Safe for as many
/// concurrent calls as <see cref="ISink.BatchesInFlight"/> allows: each holds its own batch, so a
/// <see cref="DeliverAsync"/> that may run more than once at a time must guard what the calls share
/// (a sink writing one file or one connection serializes that part; the take and its commit still
/// overlap with the other batch's output).
/// </summary>
public abstract class BatchSink : ISink
{
    // Spare batch lists, one per batch in flight once warm, so no call allocates one.
    private readonly ConcurrentQueue<List<Event>> _spares = new();

    protected BatchSink(string name, string type, IChannel channel, int batchSize, IReadOnlyList<string>? extraCounters = null)
    {
        Name = name;
        Channel = channel;
        BatchSize = batchSize;
        Counter = new SinkCounter(name, type, extraCounters);
    }

    public string Name { get; }

    public IChannel Channel { get; }

    public SinkCounter Counter { get; }

    public int BatchSize { get; }

    /// <inheritdoc cref="ISink.BatchesInFlight"/>
    /// <remarks>Set from <see cref="BatchesInFlightSetting"/> by the sink types whose delivery is safe to overlap.</remarks>
    public virtual int BatchesInFlight { get; init; } = 1;

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        var batch = _spares.TryDequeue(out var spare) ? spare : [];
        try
        {
            return await ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            batch.Clear();
            _spares.Enqueue(batch);
        }
    }

    private async ValueTask<PollStatus> ProcessAsync(List<Event> batch, CancellationToken cancellationToken)
    {
        using var transaction = Channel.BeginTransaction();
        int taken;
        try
        {
            taken = transaction.TakeBatch(batch, BatchSize);
        }
        catch (ChannelException)
        {
            Counter.IncrementChannelReadFail();
            throw;
        }
        Counter.CountBatch(taken, BatchSize);
        if (taken == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return PollStatus.Backoff;
        }
        Counter.AddEventsDrainAttempted(taken);
        try
        {
            await DeliverAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Counter.IncrementEventWriteFail();
            throw;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Counter.AddEventsDrained(taken);
        return PollStatus.Ready;
    }

    /// <summary>Delivers the batch durably (as far as the destination allows) or throws.</summary>
    protected abstract ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken);
}
