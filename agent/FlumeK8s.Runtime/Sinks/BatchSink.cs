using System.Collections.Concurrent;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Sinks;

/// <summary>
/// The take–deliver–commit cycle every sink shares: take up to <see cref="BatchSize"/> events in
/// one transaction, hand them to <see cref="DeliverAsync"/>, commit only after it returns. A
/// failure rolls back, so the events stay in the channel for the next attempt. Safe for concurrent
/// calls (a runner's batches in flight, when the sink type allows them): each holds its own batch, so a
/// <see cref="DeliverAsync"/> that may run more than once at a time must guard what the calls share
/// (a sink writing one file or one connection serializes that part; the take and its commit still
/// overlap with the other batch's output). Such a sink writes that part between
/// <see cref="WaitForTurnAsync"/> and <see cref="EndTurn"/>, so batches reach it in the order they
/// were taken.
/// </summary>
public abstract class BatchSink : ISink
{
    // Spare batch lists, one per batch in flight once warm, so no call allocates one.
    private readonly ConcurrentQueue<TakenBatch> _spares = new();
    private readonly TakeOrder _order = new();

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

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        var batch = _spares.TryDequeue(out var spare) ? spare : new TakenBatch();
        try
        {
            return await ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (batch.Ticket != TakenBatch.NoTicket)
            {
                _order.End(batch.Ticket);
                batch.Ticket = TakenBatch.NoTicket;
            }
            batch.Clear();
            _spares.Enqueue(batch);
        }
    }

    private async ValueTask<PollStatus> ProcessAsync(TakenBatch batch, CancellationToken cancellationToken)
    {
        using var transaction = Channel.BeginTransaction();
        int taken;
        try
        {
            taken = _order.Take(transaction, batch, BatchSize);
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

    /// <summary>
    /// Waits until every batch taken before <paramref name="batch"/> has ended its turn or its
    /// delivery: what a sink writes from here to <see cref="EndTurn"/> follows the channel's order.
    /// A batch the sink made itself (half of a split) is already inside its batch's turn.
    /// </summary>
    protected ValueTask WaitForTurnAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken) =>
        batch is TakenBatch { Ticket: not TakenBatch.NoTicket } taken
            ? new ValueTask(_order.WaitForTurnAsync(taken.Ticket, cancellationToken))
            : ValueTask.CompletedTask;

    /// <summary>Lets the next batch have its turn (the end of the delivery does it too, if the sink does not).</summary>
    protected void EndTurn(IReadOnlyList<Event> batch)
    {
        if (batch is TakenBatch { Ticket: not TakenBatch.NoTicket } taken)
        {
            _order.End(taken.Ticket);
        }
    }

    /// <summary>Delivers the batch durably (as far as the destination allows) or throws.</summary>
    protected abstract ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken);
}
