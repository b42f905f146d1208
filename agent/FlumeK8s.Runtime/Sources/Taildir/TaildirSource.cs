using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Delivery;
using FlumeK8s.Runtime.Sources.Files;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>
/// Tails every file matching its file groups, each newline-terminated line an event. Files are
/// known by inode, so a rename keeps its place; after a rotation (file renamed, new file created)
/// the renamed file is read to its end through its open handle, found again by inode for its new
/// name, and the new file is read from its start. The position file holds only offsets of
/// committed events and is written every <c>writePosInterval</c> and on stop, so a restart loses
/// nothing and repeats at most what was committed since the last write. Pollable like Flume's: each
/// poll reads up to <c>maxBatchCount</c> batches per file, with up to <c>batches-in-flight</c> of
/// them committing while the next is read (<see cref="DeliveryWindow{TMark}"/>: a file's offset
/// advances past a batch only once it and every batch before it committed); a refused batch rewinds
/// every file to its acknowledged offset and the poll answers Backoff, so the runner waits before the
/// same lines are offered again.
/// </summary>
public sealed partial class TaildirSource : IPollableSource
{
    private readonly TaildirSourceSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DeliveryWindow<(TailFile Tail, long End)> _window;
    private readonly TaildirPositionFile _positionFile;
    private readonly List<TaildirMatcher> _matchers;
    private readonly Dictionary<ulong, TailFile> _tails = [];
    private readonly List<EventDraft> _batch;
    private Dictionary<ulong, TaildirPosition>? _saved; // until the first scan has used them
    private long _lastPositionWrite;
    private bool _positionsDirty;

    public TaildirSource(string name, TaildirSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        Counter = new SourceCounter(name, "taildir");
        _settings = settings;
        _time = services.Time;
        _logger = services.Logs.CreateLogger<TaildirSource>();
        _window = new DeliveryWindow<(TailFile, long)>(new RequestDelivery(name, processor, Counter, _logger), settings.BatchesInFlight, Acknowledge);
        _positionFile = new TaildirPositionFile(settings.PositionFile);
        _matchers = [.. settings.FileGroups.Select(g => new TaildirMatcher(g, settings.CachePatternMatching, _time))];
        _batch = new List<EventDraft>(settings.BatchSize);
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>Files with an open handle right now.</summary>
    internal int OpenFiles => _tails.Values.Count(t => t.IsOpen);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        List<TaildirPosition> saved;
        try
        {
            saved = _positionFile.Load();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogPositionFileUnusable(_logger, Name, _positionFile.Path, e);
            saved = [];
        }
        _saved = saved.GroupBy(p => p.Inode).ToDictionary(g => g.Key, g => g.Last());
        _lastPositionWrite = _time.GetTimestamp();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A poll that ended by its cancellation settled already; this catches a stop between polls.
        if (!await _window.SettleAsync(CancellationToken.None).ConfigureAwait(false))
        {
            RewindAll();
        }
        WritePositions();
        foreach (var tail in _tails.Values)
        {
            tail.Dispose();
        }
        _tails.Clear();
    }

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        Refresh();
        bool? sent;
        try
        {
            sent = await ReadAndSendAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Stopping mid-poll: the batches in flight end first (the stop cancels their waits), then
            // every file goes back to what was acknowledged, which is what StopAsync saves.
            await _window.SettleAsync(CancellationToken.None).ConfigureAwait(false);
            RewindAll();
            throw;
        }
        if (sent is null)
        {
            WritePositionsIfDue();
            return PollStatus.Backoff;
        }
        CloseIdle();
        WritePositionsIfDue();
        return sent.Value ? PollStatus.Ready : PollStatus.Backoff;
    }

    // Every file in turn, then waits for the batches still in flight, so files are closed, forgotten
    // or restarted by the next scan only with nothing in flight. True when something was committed,
    // false when there was nothing to read, null when a batch was refused (every file rewound to its
    // acknowledged offset).
    private async ValueTask<bool?> ReadAndSendAsync(CancellationToken cancellationToken)
    {
        var sent = false;
        foreach (var tail in _tails.Values.OrderBy(t => t.Status.ModifiedNanos).ThenBy(t => t.Path, StringComparer.Ordinal).ToList())
        {
            if (!EnsureOpen(tail))
            {
                continue;
            }
            var outcome = await TailAsync(tail, cancellationToken).ConfigureAwait(false);
            if (outcome is null)
            {
                RewindAll();
                return null;
            }
            sent |= outcome.Value;
        }
        if (!await _window.SettleAsync(cancellationToken).ConfigureAwait(false))
        {
            RewindAll();
            return null;
        }
        return sent;
    }

    // Up to maxBatchCount batches of one file. True when something was sent, false when there was
    // nothing to read, null when a batch was refused.
    private async ValueTask<bool?> TailAsync(TailFile tail, CancellationToken cancellationToken)
    {
        var sent = false;
        for (long batches = 0; batches < _settings.MaxBatchCount; batches++)
        {
            _batch.Clear();
            try
            {
                tail.ReadBatch(_batch, _settings.BatchSize);
            }
            catch (IOException e)
            {
                ReportReadFailure(tail, e);
                tail.Close(null);
                return sent;
            }
            if (_batch.Count == 0)
            {
                return sent;
            }
            if (!await _window.SendAsync(_batch, (tail, tail.ReadPosition), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            sent = true;
            if (_batch.Count < _settings.BatchSize)
            {
                return sent;
            }
        }
        return sent;
    }

    // Called in order, once every batch before this one is committed too.
    private void Acknowledge((TailFile Tail, long End) batch)
    {
        batch.Tail.Commit(batch.End);
        batch.Tail.LastActivity = _time.GetTimestamp();
        _positionsDirty = true;
    }

    // Files with nothing unacknowledged are already there.
    private void RewindAll()
    {
        foreach (var tail in _tails.Values)
        {
            tail.Rewind();
        }
    }

    private bool EnsureOpen(TailFile tail)
    {
        if (tail.IsOpen)
        {
            return true;
        }
        if (tail.ClosedStatus == tail.Status)
        {
            return false;
        }
        try
        {
            if (!tail.Open(_time.GetTimestamp()))
            {
                return false; // the path holds another file now; the next scan sorts it out
            }
            tail.OpenFailureReported = false;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReportReadFailure(tail, e);
            return false;
        }
    }

    private void ReportReadFailure(TailFile tail, Exception error)
    {
        if (tail.OpenFailureReported)
        {
            return;
        }
        tail.OpenFailureReported = true;
        Counter.IncrementEventReadFail();
        LogReadFailed(_logger, Name, tail.Path, error);
    }

    private void CloseIdle()
    {
        var now = _time.GetTimestamp();
        foreach (var tail in _tails.Values.ToList())
        {
            if (!tail.IsOpen || _time.GetElapsedTime(tail.LastActivity, now) < _settings.IdleTimeout)
            {
                continue;
            }
            FileStatus? status = null;
            try
            {
                status = tail.StatusOfHandle();
            }
            catch (IOException e)
            {
                LogReadFailed(_logger, Name, tail.Path, e);
            }
            tail.Close(status);
            if (!tail.Matched)
            {
                Forget(tail);
            }
        }
    }

    // A file no pattern matches any more (rotated away or deleted) has been read to its end and
    // sat idle: nothing more will come from it.
    private void Forget(TailFile tail)
    {
        if (tail.PendingBytes > 0)
        {
            LogPartialLineDropped(_logger, Name, tail.Path, tail.PendingBytes);
        }
        LogFinishedRotated(_logger, Name, tail.Path, tail.Committed);
        tail.Dispose();
        _tails.Remove(tail.Inode);
        _positionsDirty = true;
    }

    private void WritePositionsIfDue()
    {
        if (_positionsDirty && _time.GetElapsedTime(_lastPositionWrite) >= _settings.WritePosInterval)
        {
            WritePositions();
        }
    }

    private void WritePositions()
    {
        _lastPositionWrite = _time.GetTimestamp();
        try
        {
            _positionFile.Save(_tails.Values.OrderBy(t => t.Path, StringComparer.Ordinal).Select(t => new TaildirPosition(t.Inode, t.Committed, t.Path)));
            _positionsDirty = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tailing goes on; the position is written again next interval.
            Counter.IncrementGenericProcessingFail();
            LogPositionFileNotWritten(_logger, Name, _positionFile.Path, e);
        }
    }
}
