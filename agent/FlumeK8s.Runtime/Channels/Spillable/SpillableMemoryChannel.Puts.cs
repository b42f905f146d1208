using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.Spillable;

// Puts in two steps. The prepare holds room (memory while it has some, the overflow store for the
// rest) and is where a put is refused; the commit places the events and can fail only if the
// overflow's write fails. One drain-order record covers both stores.
public sealed partial class SpillableMemoryChannel
{
    internal async ValueTask PreparePutsAsync(SpillableTransaction transaction, List<Event> puts, long bytes, CancellationToken cancellationToken)
    {
        if (await ReserveMemoryAsync(puts.Count, bytes, cancellationToken).ConfigureAwait(false))
        {
            transaction.HoldMemory(puts.Count, bytes);
            return;
        }
        await PrepareSpillAsync(transaction, puts, cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask CommitPutsAsync(SpillableTransaction transaction, List<Event> puts, CancellationToken cancellationToken)
    {
        if (transaction.OverflowPut is { } overflow)
        {
            // Spill commits are serialized (invariant D3): the overflow store's FIFO order must be the
            // order in which their runs enter the drain order, or a take could pull one spill's disk
            // events ahead of another's memory events. Memory-only puts never wait for this gate.
            await _spillGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await overflow.CommitAsync(cancellationToken).ConfigureAwait(false);
                Place(puts, transaction.MemoryHeld);
            }
            finally
            {
                _spillGate.Release();
            }
        }
        else
        {
            Place(puts, transaction.MemoryHeld);
        }
        // The room held is now the placed events' own.
        transaction.ForgetPuts();
        Counter.AddPutAttempts(puts.Count);
        Counter.AddPutSuccesses(puts.Count);
        _eventsAdded.Pulse();
    }

    /// <summary>Gives back the room a prepared put held (memory, and the overflow's through its rollback).</summary>
    internal void ReleasePuts(SpillableTransaction transaction)
    {
        var (count, bytes) = (transaction.MemoryHeld, transaction.MemoryHeldBytes);
        transaction.ForgetPuts();
        if (count == 0)
        {
            return;
        }
        lock (_gate)
        {
            _memoryReserved -= count;
            _memoryBytes -= bytes;
        }
        _memoryFreed.Pulse();
    }

    /// <summary>True when memory room is now held for all the puts; false when they should spill.</summary>
    private async ValueTask<bool> ReserveMemoryAsync(int count, long bytes, CancellationToken cancellationToken)
    {
        var settings = _settings;
        if (TryReserveMemory(count, bytes))
        {
            return true;
        }
        if (_overflow is null)
        {
            return await WaitForMemoryAsync(count, bytes, settings.KeepAliveOrDefault, cancellationToken).ConfigureAwait(false)
                ? true
                : throw new ChannelFullException(
                    $"Channel {Name} is full: no room for {count} events within keep-alive {settings.KeepAliveOrDefault.TotalSeconds}s " +
                    $"(memoryCapacity {settings.MemoryCapacity} events, byteCapacity {settings.ByteCapacity}, no overflow); sinks are not keeping up with sources");
        }
        // Once a put overflowed, the next ones spill at once instead of each waiting overflowTimeout.
        return !Volatile.Read(ref _spilling) && CouldFitInMemory(settings, count, bytes)
            && await WaitForMemoryAsync(count, bytes, settings.OverflowTimeoutOrDefault, cancellationToken).ConfigureAwait(false);
    }

    private static bool CouldFitInMemory(SpillableMemoryChannelSettings settings, int count, long bytes) =>
        count <= settings.MemoryCapacity && bytes <= settings.UsableBytes;

    // Called directly and through WaitForMemoryAsync, which already holds _gate (the lock is reentrant).
    private bool TryReserveMemory(int count, long bytes)
    {
        lock (_gate)
        {
            if (_memoryReserved + count > _settings.MemoryCapacity || _memoryBytes + bytes > _settings.UsableBytes)
            {
                return false;
            }
            _memoryReserved += count;
            _memoryBytes += bytes;
            return true;
        }
    }

    private ValueTask<bool> WaitForMemoryAsync(int count, long bytes, TimeSpan maxWait, CancellationToken cancellationToken) =>
        _memoryFreed.WaitUntilAsync(_gate, static s => s.Channel.TryReserveMemory(s.Count, s.Bytes), (Channel: this, Count: count, Bytes: bytes), maxWait, _time, cancellationToken);

    // The leading events that fit stay in memory; the rest go to an overflow put transaction,
    // prepared so that the disk room is held too. A refusal of either leaves the base to roll back,
    // which releases what was held (ReleasePuts).
    private async ValueTask PrepareSpillAsync(SpillableTransaction transaction, List<Event> puts, CancellationToken cancellationToken)
    {
        int inMemory;
        long memoryBytes;
        lock (_gate)
        {
            (inMemory, memoryBytes) = MemoryPrefix(puts);
            _memoryReserved += inMemory;
            _memoryBytes += memoryBytes;
        }
        transaction.HoldMemory(inMemory, memoryBytes);
        if (inMemory == puts.Count)
        {
            return;
        }
        var overflow = _overflow!.BeginTransaction();
        transaction.OverflowPut = overflow;
        overflow.PutBatch(inMemory == 0 ? puts : puts.GetRange(inMemory, puts.Count - inMemory));
        try
        {
            await overflow.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelFullException e)
        {
            throw new ChannelFullException(
                $"Channel {Name} is full: memory ({_settings.MemoryCapacity} events) and overflow ({_settings.OverflowCapacity} events) " +
                $"have no room for {puts.Count} events ({e.Message})");
        }
    }

    // Both parts enter the drain order together, memory part first.
    private void Place(List<Event> puts, int inMemory)
    {
        var toDisk = puts.Count - inMemory;
        bool started, ended;
        lock (_gate)
        {
            if (inMemory > 0)
            {
                _memory.AddLast(toDisk == 0 ? puts : puts.GetRange(0, inMemory));
            }
            _order.Append(inOverflow: false, inMemory);
            _order.Append(inOverflow: true, toDisk);
            started = !_spilling && toDisk > 0;
            ended = _spilling && toDisk == 0;
            _spilling = toDisk > 0;
            UpdateSizes();
        }
        if (started)
        {
            LogOverflowStarted(_logger, Name, _settings.MemoryCapacity);
        }
        if (ended)
        {
            LogOverflowEnded(_logger, Name);
        }
    }

    // Under _gate: how many leading events fit in memory now, and their bytes.
    private (int Count, long Bytes) MemoryPrefix(List<Event> puts)
    {
        var room = (int)Math.Max(0, Math.Min(puts.Count, _settings.MemoryCapacity - _memoryReserved));
        var bytes = 0L;
        for (var i = 0; i < room; i++)
        {
            var size = puts[i].Body.Length;
            if (_memoryBytes + bytes + size > _settings.UsableBytes)
            {
                return (i, bytes);
            }
            bytes += size;
        }
        return (room, bytes);
    }
}
