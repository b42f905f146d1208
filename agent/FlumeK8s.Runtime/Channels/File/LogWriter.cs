namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Appends blocks to the active log file and makes them durable with group commit. Appends are
/// ordered by one lock that covers only the write call. Durability: a committer that needs its
/// block synced either becomes the one flusher (fsyncs everything written so far, then applies every
/// block it covered, in log order, through the callback) or waits for the flusher's round to end and
/// checks again. One fsync thus serves every commit written before it started.
/// </summary>
internal sealed class LogWriter : IDisposable
{
    private readonly object _writeLock = new();
    private readonly object _flushLock = new();
    private readonly IStorage _storage;
    private readonly IReadOnlyList<string> _dataDirs;
    private readonly long _maxFileSize;
    private readonly Action<IReadOnlyList<PendingBlock>> _apply;
    private readonly Queue<PendingBlock> _pending = new();
    private readonly AsyncSignal _roundDone = new();
    private IAppendFile _active;
    private int _activeId;
    private static readonly TimeSpan MaxCommitDelay = TimeSpan.FromMicroseconds(500);
    private bool _flusherActive;
    private int _announced;
    private long _syncs;
    private Exception? _failure;
    private PendingBlock? _lastAppended;

    /// <param name="apply">Applies durable blocks to the channel's memory, in log order; called by the flusher.</param>
    public LogWriter(IStorage storage, IReadOnlyList<string> dataDirs, long maxFileSize, int firstFileId,
        Action<IReadOnlyList<PendingBlock>> apply, Action<int> fileCreated)
    {
        _storage = storage;
        _dataDirs = dataDirs;
        _maxFileSize = maxFileSize;
        _apply = apply;
        FileCreated = fileCreated;
        _activeId = firstFileId;
        _active = CreateFile(firstFileId);
    }

    public int ActiveFileId => Volatile.Read(ref _activeId);

    public long Syncs => Interlocked.Read(ref _syncs);

    private Action<int> FileCreated { get; }

    /// <summary>Appends <paramref name="block"/>; returns its pending entry (position known, not yet durable).</summary>
    public PendingBlock Append(Block block, object state)
    {
        lock (_writeLock)
        {
            ThrowIfFailed();
            try
            {
                if (_active.Length + block.Length > _maxFileSize && _active.Length > LogFileHeader.Size)
                {
                    Roll();
                }
                var position = LogFormat.Position(_activeId, _active.Length);
                _active.Append(block.Bytes);
                var pending = new PendingBlock(position, LogFormat.Position(_activeId, _active.Length), state);
                _pending.Enqueue(pending);
                _lastAppended = pending;
                return pending;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Poison(e);
            }
        }
    }

    /// <summary>Returns once <paramref name="block"/> is durable and applied.</summary>
    public async Task WaitDurableAsync(PendingBlock block, CancellationToken cancellationToken)
    {
        while (!block.Done.IsCompleted)
        {
            Task roundDone;
            lock (_flushLock)
            {
                roundDone = _roundDone.Observe();
                if (block.Done.IsCompleted)
                {
                    break;
                }
                if (!_flusherActive)
                {
                    _flusherActive = true;
                    roundDone = Task.CompletedTask;
                }
            }
            if (roundDone.IsCompleted)
            {
                try
                {
                    FlushRound();
                }
                finally
                {
                    lock (_flushLock)
                    {
                        _flusherActive = false;
                    }
                    _roundDone.Pulse();
                }
                continue;
            }
            await Task.WhenAny(block.Done, roundDone).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        await block.Done.ConfigureAwait(false);
    }

    /// <summary>
    /// Returns once every block appended so far is durable and applied: what a deferred take commit
    /// (appended, nobody waiting) needs from the timer, a checkpoint or a stop. Joins or runs a
    /// flush round as any committer does.
    /// </summary>
    public Task FlushAppendedAsync(CancellationToken cancellationToken)
    {
        PendingBlock? last;
        lock (_writeLock)
        {
            last = _lastAppended;
        }
        return last is null || last.Done.IsCompleted ? Task.CompletedTask : WaitDurableAsync(last, cancellationToken);
    }

    /// <summary>Without per-transaction fsync: applies everything written so far (durable at the next <see cref="Sync"/>).</summary>
    public void ApplyWritten()
    {
        lock (_flushLock)
        {
            ApplyUpTo(long.MaxValue);
        }
    }

    /// <summary>Syncs the active file (periodic fsync, and before a checkpoint).</summary>
    public void Sync()
    {
        IAppendFile file;
        lock (_writeLock)
        {
            ThrowIfFailed();
            file = _active;
        }
        SyncFile(file);
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            _active.Dispose();
        }
    }

    /// <summary>
    /// Announces a commit that is encoding its block and will append shortly. A flusher about to
    /// fsync waits briefly for such commits, so one fsync serves them too (a commit delay, as
    /// databases use): a source's put and a sink's take then share fsyncs instead of alternating.
    /// </summary>
    public IDisposable Announce()
    {
        Interlocked.Increment(ref _announced);
        return new Announcement(this);
    }

    internal void EndAnnouncement() => Interlocked.Decrement(ref _announced);

    private void FlushRound()
    {
        var waited = System.Diagnostics.Stopwatch.GetTimestamp();
        var spinner = new SpinWait();
        while (Volatile.Read(ref _announced) > 0
               && System.Diagnostics.Stopwatch.GetElapsedTime(waited) < MaxCommitDelay)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        long target;
        IAppendFile file;
        lock (_writeLock)
        {
            ThrowIfFailed();
            target = LogFormat.Position(_activeId, _active.Length);
            file = _active;
        }
        SyncFile(file);
        ApplyUpTo(target);
    }

    private void ApplyUpTo(long target)
    {
        var durable = new List<PendingBlock>();
        lock (_writeLock)
        {
            while (_pending.TryPeek(out var block) && block.End <= target)
            {
                durable.Add(_pending.Dequeue());
            }
        }
        if (durable.Count == 0)
        {
            return;
        }
        _apply(durable);
        foreach (var block in durable)
        {
            block.Complete();
        }
    }

    // Under the write lock. The finished file is synced first, so a block in the new file is never
    // durable while an older one is not.
    private void Roll()
    {
        _active.Sync();
        Interlocked.Increment(ref _syncs);
        _active.Dispose();
        _activeId++;
        _active = CreateFile(_activeId);
    }

    // A failed fsync leaves the page cache in an unknown state (Linux reports the error once and may
    // drop the dirty pages), so the log never syncs again: it is poisoned and every waiter fails.
    private void SyncFile(IAppendFile file)
    {
        try
        {
            file.Sync();
            Interlocked.Increment(ref _syncs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (_writeLock)
            {
                throw Poison(e);
            }
        }
    }

    // Under the write lock.
    private Exception Poison(Exception cause)
    {
        _failure ??= cause;
        while (_pending.TryDequeue(out var block))
        {
            block.Fail(_failure);
        }
        return _failure;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new IOException($"the log is unusable after an earlier failure: {_failure.Message}", _failure);
        }
    }

    private IAppendFile CreateFile(int id)
    {
        var path = LogFormat.LogPath(_dataDirs, id);
        var file = _storage.Create(path);
        file.Append(LogFileHeader.Encode(id, LogVersions.Written));
        file.Sync();
        _storage.FsyncDirectory(Path.GetDirectoryName(path)!);
        FileCreated(id);
        return file;
    }
}

/// <summary>Ends an announcement when the commit has appended (or given up).</summary>
internal sealed class Announcement(LogWriter writer) : IDisposable
{
    private LogWriter? _writer = writer;

    public void Dispose() => Interlocked.Exchange(ref _writer, null)?.EndAnnouncement();
}

/// <summary>A block written to the log and waiting to be durable; <see cref="State"/> is what applying it needs.</summary>
internal sealed class PendingBlock(long position, long end, object state)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Position => position;

    public long End => end;

    public object State => state;

    public Task Done => _done.Task;

    public void Complete() => _done.TrySetResult();

    public void Fail(Exception cause) => _done.TrySetException(cause);
}
