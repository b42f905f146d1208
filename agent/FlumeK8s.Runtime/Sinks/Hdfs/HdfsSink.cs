using System.Buffers;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Sinks.Hdfs.Paths;
using FlumeK8s.Runtime.Sinks.Hdfs.Serializers;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// Flume's <c>hdfs</c> sink: each event goes to a bucket (directory and file prefix from
/// <c>hdfs.path</c> and <c>hdfs.filePrefix</c> with their escapes), each bucket writes one in-use
/// file at a time, and a file is renamed to its final name when it rolls (count, size, interval),
/// idles, is evicted by <c>hdfs.maxOpenFiles</c>, or the sink stops.
/// <para>
/// Durability: a batch's events are grouped by bucket (order kept within a bucket), each group is
/// encoded in memory and appended to its file in one durable append (local: write + fdatasync,
/// or only the write with <c>hdfs.fsyncPerBatch = false</c>; WebHDFS: a completed APPEND), and
/// the take commits only after every group is appended. Bucket paths are resolved before any
/// I/O, so an event without its timestamp fails the batch without writing anything. A failed append cuts the file back to its last acknowledged length and
/// finishes it (WebHDFS: GETFILESTATUS, TRUNCATE, RENAME), so a finished file never holds part
/// of a batch that rolled back; groups of that batch already appended come again on the retry
/// (duplicates, never losses). Files left in use by a crash are finished by the next run.
/// </para>
/// <para>
/// All file work (deliveries, roll and idle timers, recovery) runs under one async gate.
/// </para>
/// </summary>
public sealed partial class HdfsSink : BatchSink, ILifecycle
{
    private const int MaxNameAttempts = 100;
    private const int MaxRememberedDirectories = 10_000;

    private readonly HdfsSinkSettings _settings;
    private readonly IHdfsFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BucketResolver _resolver;
    private readonly FileNaming _naming;
    private readonly InUseRecovery _recovery;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<string, LinkedListNode<BucketWriter>> _writers = new(StringComparer.Ordinal);
    private readonly LinkedList<BucketWriter> _byUse = new();
    private readonly HashSet<string> _knownDirectories = new(StringComparer.Ordinal);
    private readonly List<PendingClose> _pendingCloses = [];
    private readonly ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private readonly GzipMembers? _gzip;
    private readonly Dictionary<string, List<Event>> _groups = new(StringComparer.Ordinal);
    private readonly List<(string Directory, string Prefix, List<Event> Events)> _groupOrder = [];
    private readonly HashSet<Task> _maintenance = [];
    private bool _stopped;

    internal HdfsSink(string name, IChannel channel, HdfsSinkSettings settings, TimeProvider time, ILogger logger, IHdfsFileSystem? fileSystem = null, HostIdentity? host = null)
        : base(name, "hdfs", channel, settings.BatchSize)
    {
        _settings = settings;
        _fileSystem = fileSystem ?? HdfsFileSystems.Create(settings);
        _time = time;
        _logger = logger;
        host ??= HostIdentity.Resolve();
        var pathText = settings.Location.Scheme == HdfsScheme.Local && !settings.Location.PathTemplate.StartsWith('/')
            ? FileNaming.Combine(Environment.CurrentDirectory, settings.Location.PathTemplate)
            : settings.Location.PathTemplate;
        var directory = PathTemplate.Parse(pathText, host, out var pathError) ?? throw new ArgumentException(pathError, nameof(settings));
        var prefix = PathTemplate.Parse(settings.FilePrefix, host, out var prefixError) ?? throw new ArgumentException(prefixError, nameof(settings));
        _resolver = new BucketResolver(directory, prefix, settings.Round, settings.TimeZone, settings.UseLocalTimeStamp);
        _naming = new FileNaming(settings, prefix.IsConstant ? prefix.Render(new Event([]), 0, settings.TimeZone) : null);
        _recovery = new InUseRecovery(_fileSystem, _naming, name, logger);
        _gzip = settings.Gzip ? new GzipMembers() : null;
    }

    /// <summary>The in-use files open now (for tests and diagnostics).</summary>
    public IReadOnlyList<string> OpenFiles
    {
        get
        {
            lock (_writers)
            {
                return [.. _byUse.Where(w => w.File is not null).Select(w => w.File!.InUsePath)];
            }
        }
    }

    /// <summary>
    /// Fails when the directory under the path's fixed prefix cannot be created or written (a local
    /// volume owned by root, say): the runner tries again until it can, and /readyz says why
    /// meanwhile. Then starts the recovery of in-use files under that prefix; deliveries queue behind it.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _fileSystem.EnsureWritableDirectoryAsync(RecoveryRoot().Root, cancellationToken).ConfigureAwait(false);
        Track(RecoverAtStartAsync(_lifetime.Token));
    }

    /// <summary>Finishes every open file (and retries those that could not be finished before); the end of the sink's life.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stopped = true;
            foreach (var writer in _byUse.ToList())
            {
                writer.IdleTimer?.Dispose();
                if (writer.File is { } file)
                {
                    await CloseAsync(writer, file, "stop", cancellationToken).ConfigureAwait(false);
                }
            }
            lock (_writers)
            {
                _writers.Clear();
                _byUse.Clear();
            }
            await RetryPendingClosesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_maintenance)
        {
            running = [.. _maintenance];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        // The host builds new sinks on reload and never restarts a stopped one.
        _fileSystem.Dispose();
    }

    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                throw new InvalidOperationException($"Sink {Name} is stopped");
            }
            if (_pendingCloses.Count > 0)
            {
                await RetryPendingClosesAsync(cancellationToken).ConfigureAwait(false);
            }
            if (_resolver.IsConstant)
            {
                var (directory, prefix) = _resolver.Resolve(batch[0], 0);
                await WriteGroupAsync(directory, prefix, batch, cancellationToken).ConfigureAwait(false);
                return;
            }
            GroupByBucket(batch);
            foreach (var (directory, prefix, events) in _groupOrder)
            {
                await WriteGroupAsync(directory, prefix, events, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MissingTimestampException e)
        {
            LogMissingTimestamp(_logger, Name, e.Message);
            throw new SinkDeliveryException($"Sink {Name}: {e.Message}", e);
        }
        finally
        {
            foreach (var (_, _, events) in _groupOrder)
            {
                events.Clear();
            }
            _groupOrder.Clear();
            _groups.Clear();
            _gate.Release();
        }
    }

    // Resolves every event first, so a missing timestamp fails the batch before anything is written.
    private void GroupByBucket(IReadOnlyList<Event> batch)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var @event in batch)
        {
            var (directory, prefix) = _resolver.Resolve(@event, now);
            var key = FileNaming.Combine(directory, prefix);
            if (!_groups.TryGetValue(key, out var events))
            {
                events = [];
                _groups[key] = events;
                _groupOrder.Add((directory, prefix, events));
            }
            events.Add(@event);
        }
    }

    private async Task WriteGroupAsync(string directory, string prefix, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var writer = await WriterForAsync(directory, prefix, cancellationToken).ConfigureAwait(false);
        _pending.ResetWrittenCount();
        try
        {
            foreach (var @event in events)
            {
                if (writer.File is { } full && ShouldRoll(full))
                {
                    await FlushAsync(full, cancellationToken).ConfigureAwait(false);
                    await CloseAsync(writer, full, "roll", cancellationToken).ConfigureAwait(false);
                }
                var file = writer.File ?? await OpenAsync(writer, cancellationToken).ConfigureAwait(false);
                if (!file.Started)
                {
                    file.Encoder.WriteFileHeader(_pending);
                    file.Started = true;
                }
                file.Encoder.Write(@event, _pending);
                file.EventCount++;
                file.BodyBytes += @event.Body.Length;
            }
            var current = writer.File!;
            await FlushAsync(current, cancellationToken).ConfigureAwait(false);
            // Closed as soon as it is full rather than when the next event comes (as Flume does), so
            // a full file does not sit in use, invisible to readers, until more traffic arrives.
            if (ShouldRoll(current))
            {
                await CloseAsync(writer, current, "roll", cancellationToken).ConfigureAwait(false);
            }
            ArmIdleTimer(writer);
        }
        catch (Exception e)
        {
            _pending.ResetWrittenCount();
            // The directory itself may be what broke (removed under the file): create it again next time.
            _knownDirectories.Remove(writer.Directory);
            if (writer.File is { } failed)
            {
                await AbandonAsync(writer, failed, e).ConfigureAwait(false);
            }
            throw;
        }
    }

    private bool ShouldRoll(BucketFile file) =>
        (_settings.RollCount > 0 && file.EventCount >= _settings.RollCount) ||
        (_settings.RollSize > 0 && file.BodyBytes >= _settings.RollSize);

    private async Task FlushAsync(BucketFile file, CancellationToken cancellationToken)
    {
        file.Encoder.EndBatch(_pending);
        if (_pending.WrittenCount == 0)
        {
            return;
        }
        var data = _gzip is null ? _pending.WrittenMemory : _gzip.Compress(_pending.WrittenSpan);
        await file.Output.AppendAsync(data, cancellationToken).ConfigureAwait(false);
        file.DurableLength += data.Length;
        _pending.ResetWrittenCount();
    }

    private async Task<BucketWriter> WriterForAsync(string directory, string prefix, CancellationToken cancellationToken)
    {
        var key = FileNaming.Combine(directory, prefix);
        BucketWriter? evicted = null;
        BucketWriter writer;
        lock (_writers)
        {
            if (_writers.TryGetValue(key, out var node))
            {
                _byUse.Remove(node);
                _byUse.AddLast(node);
                return node.Value;
            }
            writer = new BucketWriter(key, directory, prefix, _time.GetUtcNow().ToUnixTimeMilliseconds());
            _writers[key] = _byUse.AddLast(writer);
            if (_writers.Count > _settings.MaxOpenFiles)
            {
                evicted = _byUse.First!.Value;
                _byUse.RemoveFirst();
                _writers.Remove(evicted.Key);
            }
        }
        if (evicted is not null)
        {
            evicted.IdleTimer?.Dispose();
            if (evicted.File is { } file)
            {
                await CloseAsync(evicted, file, "maxOpenFiles", cancellationToken).ConfigureAwait(false);
            }
        }
        return writer;
    }

    private async Task<BucketFile> OpenAsync(BucketWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await PrepareDirectoryAsync(writer.Directory, cancellationToken).ConfigureAwait(false);
            for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
            {
                var finalName = _naming.FinalName(writer.Prefix, writer.NextCounter());
                var finalPath = FileNaming.Combine(writer.Directory, finalName);
                if (await _fileSystem.GetStatusAsync(finalPath, cancellationToken).ConfigureAwait(false) is not null)
                {
                    continue;
                }
                var inUsePath = FileNaming.Combine(writer.Directory, _naming.InUseName(finalName));
                if (await _fileSystem.CreateAsync(inUsePath, cancellationToken).ConfigureAwait(false) is not { } output)
                {
                    continue;
                }
                var file = new BucketFile(output, inUsePath, finalPath, FileEncoders.Create(_settings, _time));
                if (_settings.RollInterval > TimeSpan.Zero)
                {
                    file.RollTimer = _time.CreateTimer(OnRollDue, (writer, file), _settings.RollInterval, Timeout.InfiniteTimeSpan);
                }
                writer.File = file;
                Counter.IncrementConnectionCreated();
                LogOpened(_logger, Name, inUsePath);
                return file;
            }
            throw new IOException($"Sink {Name} found no unused file name for prefix '{writer.Prefix}' in {writer.Directory} after {MaxNameAttempts} attempts");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory may have been removed: create (and scan) it again next time.
            _knownDirectories.Remove(writer.Directory);
            Counter.IncrementConnectionFailed();
            LogOpenFailed(_logger, Name, writer.Directory, e);
            throw;
        }
    }

    // The first time a run writes to a directory: create it, and finish in-use files an earlier run left there.
    private async Task PrepareDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        if (_knownDirectories.Contains(directory))
        {
            return;
        }
        await _fileSystem.CreateDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
        await _recovery.RecoverTreeAsync(directory, 0, IsOpen, cancellationToken).ConfigureAwait(false);
        if (_knownDirectories.Count >= MaxRememberedDirectories)
        {
            _knownDirectories.Clear();
        }
        _knownDirectories.Add(directory);
    }

    private bool IsOpen(string inUsePath)
    {
        lock (_writers)
        {
            return _byUse.Any(w => w.File?.InUsePath == inUsePath);
        }
    }

    private async Task CloseAsync(BucketWriter writer, BucketFile file, string reason, CancellationToken cancellationToken)
    {
        writer.File = null;
        file.RollTimer?.Dispose();
        file.Output.Dispose();
        Counter.IncrementConnectionClosed();
        try
        {
            if (!await _fileSystem.RenameAsync(file.InUsePath, file.FinalPath, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException($"cannot rename {file.InUsePath} to {file.FinalPath}: the target exists or the file is gone");
            }
            LogClosed(_logger, Name, file.FinalPath, reason, file.EventCount, file.DurableLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Its batches are durable already; only the name is wrong, and is put right later.
            Counter.IncrementConnectionFailed();
            LogCloseFailed(_logger, Name, file.InUsePath, e);
            _pendingCloses.Add(new PendingClose(file.InUsePath, file.FinalPath, null));
        }
    }

    /// <summary>After a failed write: the file is cut back to its acknowledged batches and finished, now or later.</summary>
    private async Task AbandonAsync(BucketWriter writer, BucketFile file, Exception cause)
    {
        writer.File = null;
        file.RollTimer?.Dispose();
        file.Output.Dispose();
        Counter.IncrementConnectionClosed();
        LogAbandoned(_logger, Name, file.InUsePath, file.DurableLength, cause.Message);
        var pending = new PendingClose(file.InUsePath, file.FinalPath, file.DurableLength);
        // The caller's token may be the reason we are here; the cleanup is bounded by callTimeout instead.
        if (!await TryFinishAsync(pending, CancellationToken.None).ConfigureAwait(false))
        {
            _pendingCloses.Add(pending);
        }
    }

    private async Task RetryPendingClosesAsync(CancellationToken cancellationToken)
    {
        for (var i = _pendingCloses.Count - 1; i >= 0; i--)
        {
            if (await TryFinishAsync(_pendingCloses[i], cancellationToken).ConfigureAwait(false))
            {
                _pendingCloses.RemoveAt(i);
            }
        }
    }

    /// <summary>Truncates (when needed) and renames a file the sink no longer writes; false to try again later.</summary>
    private async Task<bool> TryFinishAsync(PendingClose pending, CancellationToken cancellationToken)
    {
        try
        {
            var status = await _fileSystem.GetStatusAsync(pending.InUsePath, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                LogVanished(_logger, Name, pending.InUsePath);
                return true;
            }
            var target = pending.FinalPath;
            if (pending.TruncateTo is { } good && status.Value.Length != good)
            {
                if (status.Value.Length < good)
                {
                    // Acknowledged bytes are missing: keep what is there, under a name that says so.
                    target = Damaged(pending, good);
                }
                else if (!await TryTruncateAsync(pending.InUsePath, good, cancellationToken).ConfigureAwait(false))
                {
                    target = Damaged(pending, good);
                }
                else if (await _fileSystem.GetStatusAsync(pending.InUsePath, cancellationToken).ConfigureAwait(false) is not { } cut || cut.Length != good)
                {
                    // HDFS answered that block recovery finishes the truncate later; look again next time.
                    return false;
                }
            }
            if (pending.TruncateTo == 0 && target == pending.FinalPath)
            {
                await _fileSystem.DeleteAsync(pending.InUsePath, cancellationToken).ConfigureAwait(false);
                return true;
            }
            if (!await _fileSystem.RenameAsync(pending.InUsePath, target, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException($"cannot rename {pending.InUsePath} to {target}: the target exists or the file is gone");
            }
            LogFinished(_logger, Name, pending.InUsePath, target);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFinishFailed(_logger, Name, pending.InUsePath, e);
            return false;
        }
    }

    // False when the file system cannot truncate at all (WebHDFS before Hadoop 2.7, a gateway without it).
    private async Task<bool> TryTruncateAsync(string path, long length, CancellationToken cancellationToken)
    {
        try
        {
            // A false answer means HDFS finishes the cut by block recovery; the caller watches the length for it.
            await _fileSystem.TruncateAsync(path, length, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WebHdfsException e) when (e.RemoteException is "UnsupportedOperationException" or "IllegalArgumentException" || e.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotImplemented)
        {
            LogCannotTruncate(_logger, Name, path, e);
            return false;
        }
    }

    private string Damaged(PendingClose pending, long good)
    {
        var slash = pending.FinalPath.LastIndexOf('/');
        var target = pending.FinalPath[..(slash + 1)] + FileNaming.DamagedName(pending.FinalPath[(slash + 1)..], good);
        LogDamaged(_logger, Name, pending.InUsePath, target, good);
        return target;
    }

    private void ArmIdleTimer(BucketWriter writer)
    {
        if (_settings.IdleTimeout <= TimeSpan.Zero)
        {
            return;
        }
        if (writer.IdleTimer is { } timer)
        {
            timer.Change(_settings.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            writer.IdleTimer = _time.CreateTimer(OnIdle, writer, _settings.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnRollDue(object? state)
    {
        var (writer, file) = ((BucketWriter, BucketFile))state!;
        Track(UnderGateAsync(async ct =>
        {
            if (ReferenceEquals(writer.File, file))
            {
                await CloseAsync(writer, file, "rollInterval", ct).ConfigureAwait(false);
            }
        }, _lifetime.Token));
    }

    // Flume forgets an idle bucket altogether; its next event starts a new writer and counter.
    private void OnIdle(object? state)
    {
        var writer = (BucketWriter)state!;
        Track(UnderGateAsync(async ct =>
        {
            lock (_writers)
            {
                if (!_writers.TryGetValue(writer.Key, out var node) || !ReferenceEquals(node.Value, writer))
                {
                    return;
                }
                _writers.Remove(writer.Key);
                _byUse.Remove(node);
            }
            writer.IdleTimer?.Dispose();
            if (writer.File is { } file)
            {
                await CloseAsync(writer, file, "idleTimeout", ct).ConfigureAwait(false);
            }
        }, _lifetime.Token));
    }

    private Task RecoverAtStartAsync(CancellationToken cancellationToken) =>
        UnderGateAsync(async ct =>
        {
            var (root, depth) = RecoveryRoot();
            await _recovery.RecoverTreeAsync(root, depth, IsOpen, ct).ConfigureAwait(false);
        }, cancellationToken);

    // The directory every file of this sink lives under, and how many levels of directories below it
    // the path's escapes make. A constant path is its one directory (scanned on the first write
    // anyway; at start so files do not wait for traffic).
    private (string Root, int Depth) RecoveryRoot()
    {
        var template = _resolver.Directory;
        if (template.IsConstant)
        {
            return (template.Render(new Event([]), 0, _settings.TimeZone), 0);
        }
        var fixedPrefix = template.FixedPrefix;
        var root = fixedPrefix[..(fixedPrefix.LastIndexOf('/') + 1)];
        // Each '/'-separated segment after the root is one level of directories, e.g. %Y/%m/%d is three.
        var depth = template.Text[root.Length..].TrimEnd('/').Count(c => c == '/') + 1;
        return (root.Length > 1 ? root.TrimEnd('/') : "/", depth);
    }

    private async Task UnderGateAsync(Func<CancellationToken, Task> work, CancellationToken token)
    {
        try
        {
            await _gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        try
        {
            if (!_stopped)
            {
                await work(token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            LogMaintenanceFailed(_logger, Name, e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Track(Task task)
    {
        lock (_maintenance)
        {
            _maintenance.Add(task);
        }
        task.ContinueWith(t =>
        {
            lock (_maintenance)
            {
                _maintenance.Remove(t);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
