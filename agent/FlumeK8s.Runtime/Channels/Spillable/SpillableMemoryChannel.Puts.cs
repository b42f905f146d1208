using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.Spillable;

// Put commits: memory while it has room, the rest to the overflow store, one drain-order record for both.
public sealed partial class SpillableMemoryChannel
{
    internal async ValueTask CommitPutsAsync(List<Event> puts, long bytes, CancellationToken cancellationToken)
    {
        var settings = _settings;
        if (!TryPutInMemory(puts, bytes))
        {
            if (_overflow is null)
            {
                if (!await WaitForMemoryAsync(puts, bytes, settings.KeepAliveOrDefault, cancellationToken).ConfigureAwait(false))
                {
                    throw new ChannelFullException(
                        $"Channel {Name} is full: no room for {puts.Count} events within keep-alive {settings.KeepAliveOrDefault.TotalSeconds}s " +
                        $"(memoryCapacity {settings.MemoryCapacity} events, byteCapacity {settings.ByteCapacity}, no overflow); sinks are not keeping up with sources");
                }
            }
            else if (Volatile.Read(ref _spilling) || !CouldFitInMemory(settings, puts.Count, bytes)
                || !await WaitForMemoryAsync(puts, bytes, settings.OverflowTimeoutOrDefault, cancellationToken).ConfigureAwait(false))
            {
                await SpillAsync(puts, cancellationToken).ConfigureAwait(false);
            }
        }
        Counter.AddPutAttempts(puts.Count);
        Counter.AddPutSuccesses(puts.Count);
        _eventsAdded.Pulse();
    }

    private static bool CouldFitInMemory(SpillableMemoryChannelSettings settings, int count, long bytes) =>
        count <= settings.MemoryCapacity && bytes <= settings.UsableBytes;

    private bool TryPutInMemory(List<Event> puts, long bytes)
    {
        bool resumed;
        lock (_gate)
        {
            if (_memoryReserved + puts.Count > _settings.MemoryCapacity || _memoryBytes + bytes > _settings.UsableBytes)
            {
                return false;
            }
            _memoryReserved += puts.Count;
            _memoryBytes += bytes;
            _memory.AddLast(puts);
            _order.Append(inOverflow: false, puts.Count);
            resumed = _spilling;
            _spilling = false;
            UpdateSizes();
        }
        if (resumed)
        {
            LogOverflowEnded(_logger, Name);
        }
        return true;
    }

    private ValueTask<bool> WaitForMemoryAsync(List<Event> puts, long bytes, TimeSpan maxWait, CancellationToken cancellationToken) =>
        _memoryFreed.WaitUntilAsync(_gate, static s => s.Channel.TryPutInMemory(s.Puts, s.Bytes), (Channel: this, Puts: puts, Bytes: bytes), maxWait, _time, cancellationToken);

    // Spill commits are serialized: the overflow store's FIFO order must be the order in which their
    // runs enter the drain order, or a take could pull one spill's disk events ahead of another's
    // memory events. Memory-only puts never wait for this gate.
    private async ValueTask SpillAsync(List<Event> puts, CancellationToken cancellationToken)
    {
        await _spillGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int inMemory;
            long memoryBytes;
            lock (_gate)
            {
                // The leading events that fit stay in memory; the order record puts them first.
                (inMemory, memoryBytes) = MemoryPrefix(puts);
                _memoryReserved += inMemory;
                _memoryBytes += memoryBytes;
            }
            var toDisk = puts.Count - inMemory;
            if (toDisk > 0)
            {
                try
                {
                    using var overflow = _overflow!.BeginTransaction();
                    overflow.PutBatch(inMemory == 0 ? puts : puts.GetRange(inMemory, toDisk));
                    await overflow.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    ReleaseMemory(inMemory, memoryBytes);
                    if (e is ChannelFullException)
                    {
                        throw new ChannelFullException(
                            $"Channel {Name} is full: memory ({_settings.MemoryCapacity} events) and overflow ({_settings.OverflowCapacity} events) " +
                            $"have no room for {puts.Count} events ({e.Message})");
                    }
                    throw;
                }
            }
            bool started;
            lock (_gate)
            {
                if (inMemory > 0)
                {
                    _memory.AddLast(toDisk == 0 ? puts : puts.GetRange(0, inMemory));
                }
                _order.Append(inOverflow: false, inMemory);
                _order.Append(inOverflow: true, toDisk);
                started = !_spilling && toDisk > 0;
                _spilling = toDisk > 0;
                UpdateSizes();
            }
            if (started)
            {
                LogOverflowStarted(_logger, Name, _settings.MemoryCapacity);
            }
        }
        finally
        {
            _spillGate.Release();
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

    private void ReleaseMemory(int count, long bytes)
    {
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
}
