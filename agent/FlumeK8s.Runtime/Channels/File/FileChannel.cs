using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// The durable channel: a write-ahead log of committed transactions with group commit, pointers in
/// memory, checkpoints of the queue, and recovery that replays only what the last checkpoint does not
/// cover. README.md in this folder is its specification. A failed write or fsync poisons it: every
/// later operation fails with the cause until a restart recovers from the log.
/// </summary>
public sealed partial class FileChannel : IChannel, IReconfigurableChannel
{
    private readonly object _gate = new();
    private readonly SlotDeque _queue = new();
    private readonly List<FileTransaction> _openTakes = []; // in the order they took, for checkpoints
    private readonly Dictionary<int, long> _liveCounts = [];
    private readonly SortedSet<int> _logIds = [];
    private readonly AsyncSignal _eventsAdded = new();
    private readonly AsyncSignal _spaceFreed = new();
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly List<IDisposable> _locks = [];
    private readonly IStorage _storage;
    private readonly LogVersions _versions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private FileChannelSettings _settings;
    private LogWriter? _writer;
    private LogReaders? _readers;
    private ITimer? _checkpointTimer;
    private ITimer? _fsyncTimer;
    private ITimer? _deferredTakeTimer;
    private long _reserved;       // queued + taken by open transactions
    private long _cachedBytes;
    private long _applied;        // log position up to which blocks are applied to memory
    private bool _changed;
    private string? _failure;     // set once, by the first write, sync or start failure
    private string? _notServing = "not started"; // "not started", then null while open, then "closed"
    private string? _putsImpossible; // the settings ask for more free space than the disk has
    private readonly TransactionPool<FileTransaction> _spares = new();

    public FileChannel(string name, FileChannelSettings settings, TimeProvider time, ILoggerFactory logs, IStorage? storage = null)
        : this(name, settings, time, logs, storage, LogVersions.Supported)
    {
    }

    /// <param name="versions">The log format versions it reads (tests add readers of versions not written yet).</param>
    internal FileChannel(string name, FileChannelSettings settings, TimeProvider time, ILoggerFactory logs, IStorage? storage, LogVersions versions)
    {
        _versions = versions;
        Name = name;
        _settings = settings;
        _time = time;
        _logger = logs.CreateLogger<FileChannel>();
        _storage = storage ?? DiskStorage.Instance;
        Counter = FileChannelCounter.Create(name, "file");
        Counter.SetCapacity(settings.Capacity);
    }

    public string Name { get; }

    public ChannelCounter Counter { get; }

    /// <summary>Why the channel cannot serve (failed, not open), or why no put can ever succeed
    /// with its settings; takes go on in the latter case, so the backlog can drain.</summary>
    public string? UnhealthyReason => UnusableReason ?? Volatile.Read(ref _putsImpossible);

    private string? UnusableReason => Volatile.Read(ref _failure) ?? Volatile.Read(ref _notServing);

    public long EventsHeld
    {
        get
        {
            lock (_gate)
            {
                long held = _queue.Count;
                foreach (var take in _openTakes)
                {
                    held += take.IsTakeDeferred ? 0 : take.Slots.Count; // committed: only its fsync is pending
                }
                return held;
            }
        }
    }

    /// <summary>
    /// After a failed write or fsync (a full disk) or a failed start, only a recovery from the files
    /// knows what is durable: the host closes this instance and opens a new one on the same files.
    /// </summary>
    public bool NeedsReopen => Volatile.Read(ref _failure) is not null && Volatile.Read(ref _notServing) != "closed";

    public FileChannelSettings Settings => _settings;

    public int TransactionCapacity => _settings.TransactionCapacity;

    /// <summary>fsync calls so far (group commit makes this far lower than the number of commits).</summary>
    public long Syncs => _writer?.Syncs ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Open();
            Volatile.Write(ref _notServing, null);
            Counter.SetExtra(FileChannelCounter.Open, 1);
            Counter.SetExtra(FileChannelCounter.Closed, 0);
        }
        catch (Exception e) when (DiskStorage.IsFailure(e) || e is InvalidDataException)
        {
            // A channel that cannot start stays closed and says why on every call and in /readyz;
            // the agent keeps running, so a bad disk is not a crash loop.
            Fail($"failed to start: {e.Message}");
            CloseFiles();
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _checkpointTimer?.Dispose();
        _fsyncTimer?.Dispose();
        _deferredTakeTimer?.Dispose();
        if (_writer is not null && UnusableReason is null)
        {
            if (_settings.CheckpointOnClose)
            {
                await CheckpointAsync(force: true).ConfigureAwait(false); // syncs the log first
            }
            else
            {
                // Without fsyncPerTransaction the last commits (a sink's final takes, say) are only in
                // the page cache; a stop is the last chance to make them durable.
                SyncLog();
            }
        }
        // Under the checkpoint gate: a periodic checkpoint already running ends before the files
        // close, and a later one sees the channel closed and leaves the directories alone (another
        // channel may own them by then).
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _notServing, "closed");
            CloseFiles();
        }
        finally
        {
            _checkpointGate.Release();
        }
        Counter.SetExtra(FileChannelCounter.Open, 0);
        Counter.SetExtra(FileChannelCounter.Closed, 1);
    }

    public IChannelTransaction BeginTransaction()
    {
        ThrowIfUnusable();
        var transaction = _spares.Rent() ?? new FileTransaction(this);
        transaction.Open();
        return transaction;
    }

    public Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken) =>
        _eventsAdded.WaitUnlessAsync(_gate, () => _queue.Count > 0, maxWait, _time, cancellationToken);

    /// <summary>Capacity, transaction capacity, keep-alive, cache and intervals change in place; directories do not.</summary>
    public bool TryReconfigure(IChannelSettings settings)
    {
        if (settings is not FileChannelSettings file || file.CheckpointDir != _settings.CheckpointDir
            || !file.DataDirs.SequenceEqual(_settings.DataDirs) || file.BackupCheckpointDir != _settings.BackupCheckpointDir)
        {
            return false;
        }
        lock (_gate)
        {
            _settings = file;
        }
        if (_writer is not null)
        {
            CheckDiskSize();
            ScheduleTimers();
        }
        Counter.SetCapacity(file.Capacity);
        _spaceFreed.Pulse();
        return true;
    }

    /// <summary>Writes a checkpoint now (if anything changed) and deletes log files no longer needed.</summary>
    public async Task CheckpointAsync(bool force = false)
    {
        await _checkpointGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_writer is null || UnusableReason is not null)
            {
                return;
            }
            // Deferred takes become durable and applied first, so the checkpoint records them as
            // taken; one committed after this is still an open take to it (its events kept: I2).
            await _writer.FlushAppendedAsync(CancellationToken.None).ConfigureAwait(false);
            long position;
            var pointers = new List<long>();
            lock (_gate)
            {
                if (!_changed && !force)
                {
                    return;
                }
                _changed = false;
                position = _applied;
                foreach (var take in _openTakes)
                {
                    take.CopyTakenPointers(pointers);
                }
                _queue.CopyPointers(pointers);
            }
            _writer.Sync(); // the checkpoint must never cover a block that is not durable
            if (!WriteCheckpoints(position, pointers))
            {
                // What changed is still unrecorded: the next interval must try again even if
                // nothing else changes by then.
                lock (_gate)
                {
                    _changed = true;
                }
                return;
            }
            DeleteUnneededLogs(position);
        }
        catch (Exception e) when (DiskStorage.IsFailure(e))
        {
            Fail($"log sync before a checkpoint failed: {e.Message}");
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    internal LogReaders Readers => _readers ?? throw new ChannelException($"File channel {Name} is not open");

    internal void Recycle(FileTransaction transaction)
    {
        if (transaction.ReleasedByOwner())
        {
            _spares.Return(transaction);
        }
    }

    internal void ThrowIfUnusable()
    {
        var reason = UnusableReason;
        if (reason is not null)
        {
            throw new ChannelException($"File channel {Name} is unusable: {reason}");
        }
    }

    private void Open()
    {
        foreach (var directory in _settings.DataDirs.Append(_settings.CheckpointDir).Concat(BackupDirectory()))
        {
            Directory.CreateDirectory(directory);
            _locks.Add(_storage.Lock(directory));
        }
        CheckDiskSize();
        var recovered = new LogRecovery(_storage, _settings, _versions).Recover();
        foreach (var problem in recovered.Problems)
        {
            LogRecoveryProblem(_logger, Name, problem);
        }
        Counter.AddExtra(FileChannelCounter.CorruptBlocks, recovered.CorruptBlocks);
        Counter.AddExtra(FileChannelCounter.LostEvents, recovered.LostEvents);
        lock (_gate)
        {
            foreach (var pointer in recovered.Pointers)
            {
                _queue.AddLast(new Slot(pointer, null));
            }
            _reserved = _queue.Count;
            foreach (var (id, count) in recovered.LiveCounts)
            {
                _liveCounts[id] = count;
            }
            _logIds.UnionWith(recovered.LogIds);
            Counter.SetSize(_queue.Count);
        }
        _readers = new LogReaders(_storage, _settings.DataDirs, _versions);
        var firstId = recovered.LogIds.Count > 0 ? recovered.LogIds.Max + 1 : 1;
        _writer = new LogWriter(_storage, _settings.DataDirs, _settings.MaxFileSize, firstId, Apply, id =>
        {
            lock (_gate)
            {
                _logIds.Add(id);
            }
        });
        _applied = LogFormat.Position(firstId, LogFileHeader.Size);
        LogRecovered(_logger, Name, recovered.Pointers.Count, recovered.Source, recovered.LogIds.Count);

        // A fresh checkpoint at once: a crash right after start must not replay the same tail again.
        WriteCheckpoints(_applied, recovered.Pointers);
        DeleteUnneededLogs(_applied);
        ScheduleTimers();
    }

    // The periodic work the settings ask for: checkpoints, and either the fsync without
    // fsyncPerTransaction or the bound on deferred takes. At open, and again when a reload changes the
    // settings in place (a deferred take must never wait for a timer made for the old settings).
    private void ScheduleTimers()
    {
        _checkpointTimer?.Dispose();
        _fsyncTimer?.Dispose();
        _deferredTakeTimer?.Dispose();
        (_fsyncTimer, _deferredTakeTimer) = (null, null);
        _checkpointTimer = _time.CreateTimer(_ => _ = CheckpointAsync(), null, _settings.CheckpointIntervalOrDefault, _settings.CheckpointIntervalOrDefault);
        if (!_settings.FsyncPerTransaction)
        {
            _fsyncTimer = _time.CreateTimer(_ => SyncLog(), null, _settings.FsyncIntervalOrDefault, _settings.FsyncIntervalOrDefault);
        }
        else if (_settings.DeferTakeFsync)
        {
            var bound = _settings.DeferTakeFsyncMaxDelayOrDefault;
            _deferredTakeTimer = _time.CreateTimer(_ => _ = FlushDeferredTakesAsync(), null, bound, bound);
        }
    }

    // A minimumRequiredSpace the disk can never offer refuses every put until the settings change: a
    // configuration error, not a full disk, so it is reported as the channel's unhealthy reason (which
    // makes /readyz say not ready, and why) rather than only as "disk low" on each refused put.
    private void CheckDiskSize()
    {
        string? problem = null;
        foreach (var directory in _settings.DataDirs)
        {
            long total;
            try
            {
                total = _storage.TotalBytes(directory);
            }
            catch (IOException)
            {
                continue; // a size that cannot be read is no reason to refuse; each put's free-space check still runs
            }
            if (_settings.MinimumRequiredSpace >= total)
            {
                problem = $"minimumRequiredSpace ({_settings.MinimumRequiredSpace} bytes) is not below the size of the whole disk holding {directory} " +
                          $"({total} bytes), so no put can ever succeed; lower minimumRequiredSpace";
                break;
            }
        }
        var previous = Interlocked.Exchange(ref _putsImpossible, problem);
        if (problem is not null && problem != previous)
        {
            LogPutsImpossible(_logger, Name, problem);
        }
    }

    private IEnumerable<string> BackupDirectory() =>
        _settings.UseDualCheckpoints && _settings.BackupCheckpointDir is { } backup ? [backup] : [];

    private bool WriteCheckpoints(long position, List<long> pointers)
    {
        try
        {
            CheckpointFile.Write(_storage, _settings.CheckpointDir, position, pointers);
        }
        catch (Exception e) when (DiskStorage.IsFailure(e))
        {
            Counter.AddExtra(FileChannelCounter.CheckpointErrors, 1);
            LogCheckpointFailed(_logger, Name, _settings.CheckpointDir, e.Message);
            return false;
        }
        foreach (var backup in BackupDirectory())
        {
            try
            {
                CheckpointFile.Write(_storage, backup, position, pointers);
            }
            catch (Exception e) when (DiskStorage.IsFailure(e))
            {
                Counter.AddExtra(FileChannelCounter.CheckpointBackupErrors, 1);
                LogCheckpointFailed(_logger, Name, backup, e.Message);
                return false;
            }
        }
        return true;
    }

    // Invariant I4 of README.md: only the oldest files, only when empty, never the active one, and
    // only below the position every usable checkpoint covers.
    private void DeleteUnneededLogs(long checkpointPosition)
    {
        var covered = LogFormat.FileOf(checkpointPosition);
        while (true)
        {
            int oldest;
            lock (_gate)
            {
                if (_logIds.Count == 0)
                {
                    return;
                }
                oldest = _logIds.Min;
                if (oldest >= covered || oldest == _writer?.ActiveFileId || _liveCounts.GetValueOrDefault(oldest) > 0)
                {
                    return;
                }
                _logIds.Remove(oldest);
                _liveCounts.Remove(oldest);
            }
            _readers?.Close(oldest);
            try
            {
                _storage.Delete(LogFormat.LogPath(_settings.DataDirs, oldest));
            }
            catch (Exception e) when (DiskStorage.IsFailure(e))
            {
                LogDeleteFailed(_logger, Name, oldest, e.Message);
                return;
            }
        }
    }

    // The bound on a deferred take: with no put commit to share an fsync with (an idle source), the
    // timer's round makes the takes durable and frees their room.
    private async Task FlushDeferredTakesAsync()
    {
        try
        {
            if (_writer is { } writer && UnusableReason is null)
            {
                await writer.FlushAppendedAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (DiskStorage.IsFailure(e))
        {
            Counter.AddExtra(FileChannelCounter.TakeErrors, 1);
            Fail($"fsync of deferred take commits failed: {e.Message}");
        }
        catch (ObjectDisposedException)
        {
            // The timer fired while the channel was closing; the close syncs the log.
        }
    }

    // The periodic fsync (without fsyncPerTransaction), and the last one on close.
    private void SyncLog()
    {
        try
        {
            _writer?.Sync();
        }
        catch (Exception e) when (DiskStorage.IsFailure(e))
        {
            Fail($"periodic fsync failed: {e.Message}");
        }
        catch (ObjectDisposedException)
        {
            // The timer fired while the channel was closing; the close syncs what matters.
        }
    }

    private void CloseFiles()
    {
        _writer?.Dispose();
        _readers?.Dispose();
        foreach (var held in _locks)
        {
            held.Dispose();
        }
        _locks.Clear();
    }

    internal void Fail(string reason)
    {
        // A commit racing with close fails on the closed log; that is shutdown, not a fault.
        if (Volatile.Read(ref _notServing) != "closed" && Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            Counter.SetExtra(FileChannelCounter.Unhealthy, 1);
            LogUnhealthy(_logger, Name, reason);
        }
        _eventsAdded.Pulse();
        _spaceFreed.Pulse();
    }
}
