using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using FlumeK8s.Runtime.Sinks.Hdfs.Paths;
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
/// The work is split by job: a <see cref="BucketWriter"/> per bucket opens, encodes, appends, rolls
/// and closes its files; the <see cref="FileFinisher"/> renames, truncates or sets aside the files
/// they stop writing; <see cref="OpenBuckets"/> keeps the buckets (least recently used first, idle
/// ones closed). The sink groups each batch by bucket and runs all of that work (deliveries, roll
/// and idle timers, recovery) under one async gate, so none of the pieces needs a lock of its own.
/// With batches in flight the next batch is taken and waits at the gate while the previous one's
/// take commits; a failed append cuts its file back only to the end of the last append that
/// succeeded, which includes every earlier batch's output.
/// </para>
/// </summary>
public sealed partial class HdfsSink : BatchSink, ILifecycle
{
    private readonly HdfsSinkSettings _settings;
    private readonly IHdfsFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BucketResolver _resolver;
    private readonly InUseRecovery _recovery;
    private readonly FileFinisher _finisher;
    private readonly OpenBuckets _buckets;

    // The one lock: every bucket, file, pending finish and directory is touched only while holding
    // it, by a delivery, a timer's close or the start-up recovery. Async, since all of them do I/O.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Cancelled at stop, so timer work still waiting for the gate gives up.
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<string, List<Event>> _groups = new(StringComparer.Ordinal);
    private readonly List<(string Directory, string Prefix, List<Event> Events)> _groupOrder = [];
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
        var naming = new FileNaming(settings, prefix.IsConstant ? prefix.Render(new Event([]), 0, settings.TimeZone) : null);
        _recovery = new InUseRecovery(_fileSystem, naming, name, logger);
        _finisher = new FileFinisher(_fileSystem, name, Counter, logger);
        var services = new BucketWriterServices(name, settings, _fileSystem, naming, RollPolicy.From(settings),
            new BucketDirectories(_fileSystem, _recovery, IsOpen), _finisher, Counter, time, logger)
        {
            RollDue = OnRollDue,
        };
        _buckets = new OpenBuckets(settings.MaxOpenFiles, settings.IdleTimeout, time,
            (key, bucketDirectory, bucketPrefix) => new BucketWriter(key, bucketDirectory, bucketPrefix, _time.GetUtcNow().ToUnixTimeMilliseconds(), services),
            OnIdle);
    }

    /// <summary>The in-use files open now (for tests and diagnostics), read under the gate.</summary>
    public async Task<IReadOnlyList<string>> OpenFilesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _buckets.InUsePaths();
        }
        finally
        {
            _gate.Release();
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
        _ = UnderGateAsync(async ct =>
        {
            var (root, depth) = RecoveryRoot();
            await _recovery.RecoverTreeAsync(root, depth, IsOpen, ct).ConfigureAwait(false);
        }, _lifetime.Token);
    }

    /// <summary>Finishes every open file (and retries those that could not be finished before); the end of the sink's life.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Timer work that gets the gate after this sees the sink stopped and does nothing, so no
            // file work can follow this block: the file system can be let go once it ends.
            _stopped = true;
            await _buckets.CloseAllAsync("stop", cancellationToken).ConfigureAwait(false);
            await _finisher.RetryPendingAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        // The host builds new sinks on reload and never restarts a stopped one.
        _fileSystem.Dispose();
    }

    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        // Batches in flight are written in take order: a file holds its events in the channel's order.
        await WaitForTurnAsync(batch, cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                throw new InvalidOperationException($"Sink {Name} is stopped");
            }
            if (_finisher.PendingCount > 0)
            {
                await _finisher.RetryPendingAsync(cancellationToken).ConfigureAwait(false);
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
            EndTurn(batch);
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
        var writer = await _buckets.GetAsync(directory, prefix, cancellationToken).ConfigureAwait(false);
        await writer.WriteAsync(events, cancellationToken).ConfigureAwait(false);
        _buckets.Written(writer);
    }

    // Under the gate (recovery and directory preparation run there). A file the finisher still holds
    // is left to it: it knows how far the file may be kept, a rescan does not.
    private bool IsOpen(string inUsePath) => _buckets.IsOpen(inUsePath) || _finisher.Holds(inUsePath);

    private void OnRollDue(BucketWriter writer, BucketFile file) =>
        _ = UnderGateAsync(ct => writer.CloseIfOpenAsync(file, "rollInterval", ct), _lifetime.Token);

    private void OnIdle(BucketWriter writer) =>
        _ = UnderGateAsync(ct => _buckets.CloseIdleAsync(writer, ct), _lifetime.Token);

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

    // Timer and start-up work: nobody awaits it, so it reports its own failures and is retried by
    // the next batch or the next start. After stop it does nothing (see StopAsync).
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
        catch (Exception e)
        {
            LogMaintenanceFailed(_logger, Name, e);
        }
        finally
        {
            _gate.Release();
        }
    }
}
