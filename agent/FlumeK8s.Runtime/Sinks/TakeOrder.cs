namespace FlumeK8s.Runtime.Sinks;

/// <summary>
/// Keeps a sink's batches in flight in the order they were taken where the destination has an
/// order (a file, a Kafka partition, one connection). Each take gets the next ticket under one lock,
/// so ticket order is take order, which is channel order. A delivery waits for its turn before it
/// writes; the turn passes to ticket t once every earlier ticket has ended its turn or its
/// delivery (a batch that failed, or that never needed the turn, does not hold the others up).
/// Everything around the turn (encoding before it, an answer or an fsync after it, the take's
/// commit) still overlaps with the other batches.
/// </summary>
internal sealed class TakeOrder
{
    // Held across the channel's take (which may read from disk), so it guards only the ticket
    // counter; the turns have their own lock and never wait for a take.
    private readonly object _takeLock = new();
    private readonly object _turnLock = new();
    // Tickets that ended while an earlier one was still out; the turn skips them when it gets there.
    private readonly HashSet<long> _endedEarly = [];
    private readonly Dictionary<long, TaskCompletionSource> _waiting = [];
    private long _nextTicket;
    private long _turn;

    /// <summary>Takes up to <paramref name="maxEvents"/> into <paramref name="batch"/> and, when it took any, its ticket.</summary>
    public int Take(Channels.IChannelTransaction transaction, TakenBatch batch, int maxEvents)
    {
        lock (_takeLock)
        {
            var taken = transaction.TakeBatch(batch, maxEvents);
            batch.Ticket = taken > 0 ? _nextTicket++ : TakenBatch.NoTicket;
            return taken;
        }
    }

    /// <summary>Completes once every batch taken before this one has ended its turn or its delivery.</summary>
    public Task WaitForTurnAsync(long ticket, CancellationToken cancellationToken)
    {
        lock (_turnLock)
        {
            if (ticket <= _turn)
            {
                // Its turn, or (a second wait after it ended) long past: nothing to wait for.
                return Task.CompletedTask;
            }
            if (_endedEarly.Contains(ticket))
            {
                throw new InvalidOperationException($"Batch {ticket} waited for its turn after its delivery ended");
            }
            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add(ticket, turn);
            return turn.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Ends the ticket's turn (or its delivery, if it never waited); a second call does nothing.</summary>
    public void End(long ticket)
    {
        TaskCompletionSource? next;
        lock (_turnLock)
        {
            _waiting.Remove(ticket);
            if (ticket != _turn)
            {
                if (ticket > _turn)
                {
                    _endedEarly.Add(ticket);
                }
                return;
            }
            _turn++;
            while (_endedEarly.Remove(_turn))
            {
                _turn++;
            }
            _waiting.Remove(_turn, out next);
        }
        next?.TrySetResult();
    }
}
