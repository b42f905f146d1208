using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.Spillable;

// Takes drain the oldest run first, from whichever store holds it; commit and rollback cover both.
public sealed partial class SpillableMemoryChannel
{
    // Everything happens under _gate, the overflow's take and rollback included, so the drain order
    // and both stores change together and concurrent takers always see them agree. An overflow take
    // may read the disk under the lock; the file channel's cache keeps that rare for a sink that keeps up.
    internal int Take(SpillableTransaction transaction, List<Event> destination, int maxEvents)
    {
        var slots = 0;
        var delivered = 0;
        lock (_gate)
        {
            while (slots < maxEvents && _order.TryPeekHead(out var head))
            {
                var wanted = Math.Min(head.Count, maxEvents - slots);
                if (head.InOverflow)
                {
                    try
                    {
                        transaction.OverflowTake ??= _overflow!.BeginTransaction();
                        // The file channel drops (and counts) an event it cannot read, so it may deliver
                        // fewer than it took off its queue; the run still shrinks by what it took.
                        delivered += transaction.OverflowTake.TakeBatch(destination, wanted);
                    }
                    catch (ChannelException) when (slots > 0)
                    {
                        // The overflow store just became unusable: hand over what was taken so far;
                        // the next take reports the failure.
                        break;
                    }
                }
                else
                {
                    var start = destination.Count;
                    _memory.RemoveFirst(destination, wanted);
                    for (var i = start; i < destination.Count; i++)
                    {
                        transaction.MemoryTaken.Add(destination[i]);
                        transaction.MemoryTakenBytes += destination[i].Body.Length;
                    }
                    delivered += wanted;
                }
                _order.ConsumeHead(wanted);
                transaction.AddRun(head.InOverflow, wanted);
                slots += wanted;
            }
            _takenUncommitted += slots;
            UpdateSizes();
        }
        Counter.AddTakeAttempts(slots < maxEvents ? slots + 1 : slots);
        return delivered;
    }

    // The overflow part commits first. If it fails, nothing of the transaction is final: the base
    // rolls the whole of it back and every event (memory ones too) comes back, to be delivered again
    // (at least once). The memory part cannot fail, so no outcome has one half final and the other not
    // — except across a crash, where the memory half is lost anyway.
    internal async ValueTask CommitTakesAsync(SpillableTransaction transaction, int delivered, CancellationToken cancellationToken)
    {
        if (transaction.OverflowTake is { } overflow)
        {
            await overflow.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        var fromMemory = transaction.MemoryTaken.Count;
        lock (_gate)
        {
            _memoryReserved -= fromMemory;
            _memoryBytes -= transaction.MemoryTakenBytes;
            _takenUncommitted -= transaction.Taken;
        }
        transaction.ClearTakes();
        Counter.AddTakeSuccesses(delivered);
        if (fromMemory > 0)
        {
            _memoryFreed.Pulse();
        }
    }

    internal void RollbackTakes(SpillableTransaction transaction)
    {
        var returned = transaction.Runs.Count > 0;
        lock (_gate)
        {
            _memory.AddFirst(transaction.MemoryTaken);
            // A no-op if the overflow commit failed: the file channel already put its events back.
            transaction.OverflowTake?.Rollback();
            _order.Prepend(transaction.Runs);
            _takenUncommitted -= transaction.Taken;
            UpdateSizes();
        }
        transaction.ClearTakes();
        if (returned)
        {
            _eventsAdded.Pulse();
        }
    }
}
