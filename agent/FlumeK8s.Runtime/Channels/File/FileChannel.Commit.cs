using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

// Puts, takes and how durable blocks reach the in-memory queue.
public sealed partial class FileChannel
{
    /// <summary>Holds capacity for the puts and sizes their block, checking disk space for it: every
    /// refusal of a put (full, disk low) happens here, so the commit can fail only on a write error.</summary>
    internal async ValueTask PreparePutsAsync(FileTransaction transaction, List<Event> puts, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        await ReserveAsync(puts.Count, cancellationToken).ConfigureAwait(false);
        transaction.RecordOffsets.Clear();
        var length = Block.MeasurePuts(puts, transaction.RecordOffsets);
        try
        {
            CheckSpace(length);
        }
        catch
        {
            Unreserve(puts.Count);
            throw;
        }
        transaction.HoldRoom(length);
    }

    internal async ValueTask CommitPutsAsync(FileTransaction transaction, List<Event> puts, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        // Announced before encoding, as every commit is: a flusher about to fsync waits for this block
        // rather than leaving it for the next fsync (see LogWriter.Announce).
        var announcement = _writer!.Announce();
        using var block = Block.Puts(puts, transaction.RecordOffsets, transaction.HeldLength);
        try
        {
            // Once appended, the block will be applied whatever happens to the caller, so the wait is
            // not cancellable: the transaction's lists must outlive the apply.
            await AppendAndWaitAsync(block, transaction, announcement).ConfigureAwait(false);
        }
        catch (Exception e) when (DiskStorage.IsFailure(e))
        {
            Counter.AddExtra(FileChannelCounter.PutErrors, 1);
            Fail($"writing to the log failed: {e.Message}");
            throw new ChannelException($"File channel {Name} could not commit: {e.Message}", e);
        }
        // The held capacity now belongs to the queued events.
        transaction.ReleaseRoom();
        Counter.AddPutAttempts(puts.Count);
        Counter.AddPutSuccesses(puts.Count);
    }

    internal int Take(FileTransaction transaction, List<Event> destination, int maxEvents)
    {
        var start = transaction.Slots.Count;
        lock (_gate)
        {
            ThrowIfUnusable();
            _queue.RemoveFirst(transaction.Slots, maxEvents);
            if (!_openTakes.Contains(transaction))
            {
                _openTakes.Add(transaction);
            }
            Counter.SetSize(_queue.Count);
            for (var i = start; i < transaction.Slots.Count; i++)
            {
                _cachedBytes -= transaction.Slots[i].Cached?.Body.Length ?? 0;
            }
        }
        var taken = transaction.Slots.Count - start;
        var delivered = 0;
        for (var i = start; i < transaction.Slots.Count; i++)
        {
            var slot = transaction.Slots[i];
            var @event = slot.Cached ?? Fetch(transaction, slot.Pointer);
            if (@event is null)
            {
                continue; // reported and counted; its pointer is still committed as taken
            }
            transaction.Slots[i] = new Slot(slot.Pointer, @event);
            destination.Add(@event);
            delivered++;
        }
        Counter.AddTakeAttempts(taken < maxEvents ? taken + 1 : taken);
        return delivered;
    }

    internal async ValueTask CommitTakesAsync(FileTransaction transaction)
    {
        if (transaction.Slots.Count == 0)
        {
            lock (_gate)
            {
                _openTakes.Remove(transaction);
            }
            return;
        }
        ThrowIfUnusable();
        var announcement = _writer!.Announce();
        var pointers = transaction.TakenPointers();
        using var block = Block.Takes(pointers);
        try
        {
            if (_settings.DefersTakeFsync)
            {
                AppendDeferredTake(block, transaction, announcement);
            }
            else
            {
                await AppendAndWaitAsync(block, transaction, announcement).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (DiskStorage.IsFailure(e))
        {
            Counter.AddExtra(FileChannelCounter.TakeErrors, 1);
            Fail($"writing to the log failed: {e.Message}");
            throw new ChannelException($"File channel {Name} could not commit: {e.Message}", e);
        }
        Counter.AddTakeSuccesses(pointers.Length);
        _spaceFreed.Pulse();
    }

    internal void RollbackTakes(FileTransaction transaction)
    {
        lock (_gate)
        {
            _openTakes.Remove(transaction);
            if (transaction.Slots.Count == 0)
            {
                return;
            }
            _queue.AddFirst(transaction.Slots);
            foreach (var slot in transaction.Slots)
            {
                _cachedBytes += slot.Cached?.Body.Length ?? 0;
            }
            Counter.SetSize(_queue.Count);
        }
        _eventsAdded.Pulse();
    }

    internal void RollbackPuts(FileTransaction transaction, int count)
    {
        if (transaction.ReleaseRoom())
        {
            Unreserve(count);
        }
        Counter.AddPutAttempts(count);
    }

    private async Task AppendAndWaitAsync(Block block, FileTransaction transaction, IDisposable announcement)
    {
        PendingBlock pending;
        using (announcement)
        {
            pending = _writer!.Append(block, transaction);
        }
        if (_settings.FsyncPerTransaction)
        {
            await _writer.WaitDurableAsync(pending, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            _writer.ApplyWritten();
        }
    }

    // The take is written, not yet durable. Its room is free at once (a crash before the fsync may
    // bring its events back beyond capacity: puts then wait until the sink catches up), but until a
    // flush round applies it (a put's commit, the deferTakeFsyncMaxDelay timer, a checkpoint or the
    // stop) it stays among the open takes: a checkpoint records its events as not taken and their
    // log files stay live, so a crash before that fsync brings them back (duplicates, never a loss).
    private void AppendDeferredTake(Block block, FileTransaction transaction, IDisposable announcement)
    {
        lock (_gate)
        {
            transaction.DeferTake();
            _reserved -= transaction.Slots.Count;
        }
        try
        {
            using (announcement)
            {
                _writer!.Append(block, transaction);
            }
        }
        catch
        {
            lock (_gate)
            {
                transaction.CancelDeferredTake();
                _reserved += transaction.Slots.Count; // the rollback puts the events back, holding their room
            }
            throw;
        }
    }

    // Called by the log writer with durable blocks in log order (see LogWriter): the only place the
    // queue grows and taken events finally leave, so memory always mirrors the log up to _applied.
    private void Apply(IReadOnlyList<PendingBlock> blocks)
    {
        var added = false;
        var freed = false;
        lock (_gate)
        {
            foreach (var block in blocks)
            {
                var transaction = (FileTransaction)block.State;
                if (transaction.IsTaking)
                {
                    ApplyTakes(transaction);
                    freed = true;
                }
                else
                {
                    ApplyPuts(transaction, block.Position);
                    added = true;
                }
                _applied = block.End;
                _changed = true;
            }
            Counter.SetSize(_queue.Count);
        }
        Counter.SetExtra(FileChannelCounter.Syncs, _writer?.Syncs ?? 0);
        if (added)
        {
            _eventsAdded.Pulse();
        }
        if (freed)
        {
            _spaceFreed.Pulse();
        }
    }

    private void ApplyPuts(FileTransaction transaction, long blockPosition)
    {
        var events = transaction.Puts;
        var offsets = transaction.RecordOffsets;
        for (var i = 0; i < events.Count; i++)
        {
            var size = events[i].Body.Length;
            var cache = _cachedBytes + size <= _settings.CacheBytes;
            _cachedBytes += cache ? size : 0;
            _queue.AddLast(new Slot(blockPosition + offsets[i], cache ? events[i] : null));
        }
        var fileId = LogFormat.FileOf(blockPosition);
        _liveCounts[fileId] = _liveCounts.GetValueOrDefault(fileId) + events.Count;
    }

    private void ApplyTakes(FileTransaction transaction)
    {
        _openTakes.Remove(transaction);
        var (wasDeferred, recycle) = transaction.EndDeferredTake();
        if (!wasDeferred)
        {
            _reserved -= transaction.Slots.Count;
        }
        foreach (var slot in transaction.Slots)
        {
            var fileId = LogFormat.FileOf(slot.Pointer);
            _liveCounts[fileId] = _liveCounts.GetValueOrDefault(fileId) - 1;
        }
        if (recycle)
        {
            _spares.Return(transaction); // its owner disposed it before the deferred take was durable
        }
    }

    private Event? Fetch(FileTransaction transaction, long pointer)
    {
        string? error;
        Event? @event;
        try
        {
            @event = transaction.Fetcher.Fetch(pointer, out error);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            (@event, error) = (null, e.Message);
        }
        if (@event is null)
        {
            Counter.AddExtra(FileChannelCounter.TakeErrors, 1);
            LogUnreadableEvent(_logger, Name, LogFormat.FileOf(pointer), LogFormat.OffsetOf(pointer), error ?? "unknown");
        }
        return @event;
    }

    private void CheckSpace(int blockLength)
    {
        var directory = _settings.DataDirs[(_writer?.ActiveFileId ?? 0) % _settings.DataDirs.Count];
        var free = _storage.FreeBytes(directory);
        if (free - blockLength < _settings.MinimumRequiredSpace)
        {
            throw new ChannelFullException(Volatile.Read(ref _putsImpossible) is { } impossible
                ? $"File channel {Name} refuses puts: {impossible}"
                : $"File channel {Name} refuses puts: disk low ({free} bytes free in {directory}, minimumRequiredSpace is {_settings.MinimumRequiredSpace}); takes go on so the channel can drain");
        }
    }

    private async ValueTask ReserveAsync(int count, CancellationToken cancellationToken)
    {
        var keepAlive = _settings.KeepAliveOrDefault;
        if (!await _spaceFreed.WaitUntilAsync(_gate, static s => s.Channel.TryReserve(s.Count), (Channel: this, Count: count), keepAlive, _time, cancellationToken).ConfigureAwait(false))
        {
            throw new ChannelFullException(
                $"Channel {Name} is full: no room for {count} events within keep-alive {keepAlive.TotalSeconds}s (capacity {_settings.Capacity}); sinks are not keeping up with sources");
        }
    }

    // Under _gate (see AsyncSignal.WaitUntilAsync).
    private bool TryReserve(int count)
    {
        if (_reserved + count <= _settings.Capacity)
        {
            _reserved += count;
            return true;
        }
        ThrowIfUnusable(); // a channel that fails while a put waits for room says so at once
        return false;
    }

    private void Unreserve(int count)
    {
        lock (_gate)
        {
            _reserved -= count;
        }
        _spaceFreed.Pulse();
    }
}
