using System.Text;
using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sources.Delivery;
using FlumeK8s.Runtime.Sources.Files;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>
/// Reads the files dropped into a directory, one at a time, each line an event, and marks each
/// file done (renamed, tracked or deleted) only after all its events are committed. The position
/// after every committed batch is saved (<see cref="SpoolPositionStore"/>), so a restart resumes
/// the file where it was: nothing is lost and at most the last uncommitted batch repeats.
/// A file that cannot be read (missing permission, a decode error with policy FAIL) is reported,
/// counted as EventReadFail and skipped until it changes; the other files go on.
/// <para>
/// Event-driven rather than pollable: the source's pace is set by its own Flume properties
/// (<c>pollDelay</c> between looks at an idle directory, <c>maxBackoff</c> for a full channel),
/// which a pollable runner's generic backoff would override, and a file stays open across
/// batches on the source's own task.
/// </para>
/// </summary>
public sealed partial class SpoolDirSource : ISource
{
    private readonly SpoolDirSourceSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BatchDelivery _delivery;
    private readonly BackgroundWork _work = new();
    private readonly CappedBackoff _retry;
    private readonly SpoolCompletion _completion;
    private readonly SpoolDirectoryScanner _scanner;
    private readonly SpoolPositionStore _positions;
    private readonly List<EventDraft> _batch;
    private readonly Dictionary<string, (long Length, DateTime LastWriteUtc)> _skipped = new(StringComparer.Ordinal);
    private SpoolFile? _current;
    private long _currentEvents;
    private bool _resumeChecked;
    private bool _missingReported;

    public SpoolDirSource(string name, SpoolDirSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        Counter = new SourceCounter(name, "spooldir");
        _settings = settings;
        _time = services.Time;
        _logger = services.Logs.CreateLogger<SpoolDirSource>();
        _delivery = new BatchDelivery(name, processor, Counter, _time, _logger);
        _retry = new CappedBackoff(TimeSpan.FromMilliseconds(Math.Min(250, settings.MaxBackoff.TotalMilliseconds)), settings.MaxBackoff);
        _completion = new SpoolCompletion(settings, _time);
        _scanner = new SpoolDirectoryScanner(settings, _completion, services.RandomFactory());
        _positions = new SpoolPositionStore(settings.TrackerDir);
        _batch = new List<EventDraft>(settings.BatchSize);
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _work.Start(RunAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _work.StopAsync(cancellationToken);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await StepAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Not a problem of one file (those are skipped where they happen): keep the
                    // current file and position, and look again after the poll delay.
                    Counter.IncrementGenericProcessingFail();
                    LogStepFailed(_logger, Name, e);
                    more = false;
                }
                if (!more)
                {
                    await Task.Delay(_settings.PollDelay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out; the saved position covers everything committed.
        }
        finally
        {
            _current?.Dispose();
            _current = null;
        }
    }

    // One batch of the current file (opening the next file first when needed). True when there
    // may be more to do at once; false when the source should wait pollDelay.
    private async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        if (_current is null && (_current = OpenNext()) is null)
        {
            return false;
        }
        var file = _current;
        var (atEnd, failed) = await ReadAndDeliverAsync(file, takePartialLine: false, cancellationToken).ConfigureAwait(false);
        if (failed || !atEnd)
        {
            return true;
        }
        if (!file.IsQuiet(_time, _settings.PollDelay))
        {
            return false;
        }
        do
        {
            (atEnd, failed) = await ReadAndDeliverAsync(file, takePartialLine: true, cancellationToken).ConfigureAwait(false);
            if (failed)
            {
                return true;
            }
        }
        while (!atEnd);
        Finish(file);
        return true;
    }

    private async Task<(bool AtEnd, bool Failed)> ReadAndDeliverAsync(SpoolFile file, bool takePartialLine, CancellationToken cancellationToken)
    {
        _batch.Clear();
        var atEnd = false;
        Exception? failure = null;
        try
        {
            atEnd = file.ReadBatch(_batch, _settings.BatchSize, takePartialLine);
        }
        catch (Exception e) when (e is DecoderFallbackException or IOException or UnauthorizedAccessException)
        {
            failure = e;
        }
        if (_batch.Count > 0)
        {
            await _delivery.DeliverAsync(_batch, _retry, cancellationToken).ConfigureAwait(false);
            _currentEvents += _batch.Count;
            SavePosition(file);
        }
        if (failure is not null)
        {
            Skip(file.FullPath, failure);
        }
        return (atEnd, failure is not null);
    }

    private SpoolFile? OpenNext()
    {
        if (!Directory.Exists(_settings.SpoolDir))
        {
            if (!_missingReported)
            {
                _missingReported = true;
                LogDirectoryMissing(_logger, Name, _settings.SpoolDir);
            }
            return null;
        }
        _missingReported = false;
        var saved = LoadPosition();
        if (!_resumeChecked)
        {
            // A file that was being read when the source stopped is finished first.
            _resumeChecked = true;
            if (saved is not null && TryOpen(Resumable(saved), saved) is { } resumed)
            {
                return resumed;
            }
        }
        // Each file is tried once per look, so a file that keeps changing and keeps failing
        // cannot hold the source in this loop.
        var tried = new HashSet<string>(StringComparer.Ordinal);
        while (_scanner.Next(c => tried.Contains(c.FullPath) || IsSkipped(c)) is { } candidate)
        {
            tried.Add(candidate.FullPath);
            if (TryOpen(candidate, saved) is { } file)
            {
                return file;
            }
        }
        return null;
    }

    private SpoolCandidate? Resumable(SpoolPosition saved)
    {
        var full = Path.Combine(_settings.SpoolDir, saved.RelativePath);
        return _scanner.List().FirstOrDefault(c => c.FullPath == full);
    }

    private SpoolFile? TryOpen(SpoolCandidate? candidate, SpoolPosition? saved)
    {
        if (candidate is null)
        {
            return null;
        }
        SpoolFile file;
        try
        {
            file = SpoolFile.Open(candidate, 0, _settings);
            if (saved is not null && saved.RelativePath == candidate.RelativePath && saved.Inode == file.Inode && saved.Offset > file.Position)
            {
                file.Dispose();
                file = SpoolFile.Open(candidate, saved.Offset, _settings);
                LogResumed(_logger, Name, candidate.FullPath, file.Position);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Skip(candidate.FullPath, e);
            return null;
        }
        _currentEvents = 0;
        LogOpened(_logger, Name, candidate.FullPath);
        return file;
    }

    private void Finish(SpoolFile file)
    {
        _current = null;
        file.Dispose();
        if (file.TruncatedLines > 0)
        {
            LogTruncated(_logger, Name, file.FullPath, file.TruncatedLines, _settings.MaxLineLength);
        }
        try
        {
            var done = _completion.Complete(file.FullPath, file.RelativePath);
            LogFinished(_logger, Name, file.FullPath, _currentEvents, done);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Its events are committed; reading it again would only repeat them. Set it aside
            // until it changes and say so loudly.
            Counter.IncrementGenericProcessingFail();
            LogCompleteFailed(_logger, Name, file.FullPath, e);
            Remember(file.FullPath);
            return;
        }
        ClearPosition();
    }

    private void Skip(string path, Exception reason)
    {
        Counter.IncrementEventReadFail();
        LogUnreadable(_logger, Name, path, reason);
        Remember(path);
        if (_current is { } current && current.FullPath == path)
        {
            _current = null;
            current.Dispose();
        }
    }

    private void Remember(string path)
    {
        var info = new FileInfo(path);
        _skipped[path] = (info.Exists ? info.Length : 0, info.LastWriteTimeUtc);
    }

    private bool IsSkipped(SpoolCandidate candidate) =>
        _skipped.TryGetValue(candidate.FullPath, out var seen) && seen == (candidate.Length, candidate.LastWriteUtc);

    private SpoolPosition? LoadPosition()
    {
        try
        {
            return _positions.Load();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogPositionUnreadable(_logger, Name, _positions.Path, e);
            return null;
        }
    }

    private void SavePosition(SpoolFile file)
    {
        try
        {
            _positions.Save(new SpoolPosition(file.RelativePath, file.Inode, file.Position));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Delivery goes on; only a restart would repeat more than one batch.
            Counter.IncrementGenericProcessingFail();
            LogPositionNotSaved(_logger, Name, _positions.Path, e);
        }
    }

    private void ClearPosition()
    {
        try
        {
            _positions.Clear();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale position names a finished file, which is never resumed.
            LogPositionNotSaved(_logger, Name, _positions.Path, e);
        }
    }
}
