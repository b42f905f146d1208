using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// Gives the files a bucket writer stopped writing their final names. A file closed normally is
/// only renamed; one abandoned after a failed append is first cut back to its acknowledged length, or,
/// when that cannot be done, set aside under a damaged name that says how much of it is good. What
/// cannot be finished now (the file system refused) is kept and tried again before the next batch.
/// Used only under the sink's gate.
/// </summary>
internal sealed partial class FileFinisher(IHdfsFileSystem fileSystem, string sink, SinkCounter counter, ILogger logger)
{
    private readonly List<PendingClose> _pending = [];

    /// <summary>Files waiting for another try.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Whether a file waits here to be finished (its recorded truncation must not be bypassed by a rescan).</summary>
    public bool Holds(string inUsePath) => _pending.Exists(p => string.Equals(p.InUsePath, inUsePath, StringComparison.Ordinal));

    /// <summary>Renames a closed file, whose batches are all durable, to its final name; on failure it is retried later.</summary>
    public async Task FinishClosedAsync(BucketFile file, string reason, CancellationToken cancellationToken)
    {
        try
        {
            if (!await fileSystem.RenameAsync(file.InUsePath, file.FinalPath, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException($"cannot rename {file.InUsePath} to {file.FinalPath}: the target exists or the file is gone");
            }
            LogClosed(logger, sink, file.FinalPath, reason, file.EventCount, file.DurableLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Its batches are durable already; only the name is wrong, and is put right later.
            counter.IncrementConnectionFailed();
            LogCloseFailed(logger, sink, file.InUsePath, e);
            _pending.Add(new PendingClose(file.InUsePath, file.FinalPath, null));
        }
    }

    /// <summary>After a failed append: the file is cut back to its acknowledged batches and finished, now or later.</summary>
    public async Task FinishAbandonedAsync(BucketFile file, Exception cause)
    {
        LogAbandoned(logger, sink, file.InUsePath, file.DurableLength, cause.Message);
        var pending = new PendingClose(file.InUsePath, file.FinalPath, file.DurableLength);
        // The caller's token may be the reason we are here; the cleanup is bounded by callTimeout instead.
        if (!await TryFinishAsync(pending, CancellationToken.None).ConfigureAwait(false))
        {
            _pending.Add(pending);
        }
    }

    /// <summary>Tries every file left from earlier failures again.</summary>
    public async Task RetryPendingAsync(CancellationToken cancellationToken)
    {
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            if (await TryFinishAsync(_pending[i], cancellationToken).ConfigureAwait(false))
            {
                _pending.RemoveAt(i);
            }
        }
    }

    /// <summary>Truncates (when needed) and renames a file the sink no longer writes; false to try again later.</summary>
    internal async Task<bool> TryFinishAsync(PendingClose pending, CancellationToken cancellationToken)
    {
        try
        {
            var status = await fileSystem.GetStatusAsync(pending.InUsePath, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                LogVanished(logger, sink, pending.InUsePath);
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
                else if (await fileSystem.GetStatusAsync(pending.InUsePath, cancellationToken).ConfigureAwait(false) is not { } cut || cut.Length != good)
                {
                    // HDFS answered that block recovery finishes the truncate later; look again next time.
                    return false;
                }
            }
            if (pending.TruncateTo == 0 && target == pending.FinalPath)
            {
                await fileSystem.DeleteAsync(pending.InUsePath, cancellationToken).ConfigureAwait(false);
                return true;
            }
            if (!await fileSystem.RenameAsync(pending.InUsePath, target, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException($"cannot rename {pending.InUsePath} to {target}: the target exists or the file is gone");
            }
            LogFinished(logger, sink, pending.InUsePath, target);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFinishFailed(logger, sink, pending.InUsePath, e);
            return false;
        }
    }

    // False when the file system cannot truncate at all (WebHDFS before Hadoop 2.7, a gateway without it).
    private async Task<bool> TryTruncateAsync(string path, long length, CancellationToken cancellationToken)
    {
        try
        {
            // A false answer means HDFS finishes the cut by block recovery; the caller watches the length for it.
            await fileSystem.TruncateAsync(path, length, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WebHdfsException e) when (e.RemoteException is "UnsupportedOperationException" or "IllegalArgumentException" || e.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotImplemented)
        {
            LogCannotTruncate(logger, sink, path, e);
            return false;
        }
    }

    private string Damaged(PendingClose pending, long good)
    {
        var slash = pending.FinalPath.LastIndexOf('/');
        var target = pending.FinalPath[..(slash + 1)] + FileNaming.DamagedName(pending.FinalPath[(slash + 1)..], good);
        LogDamaged(logger, sink, pending.InUsePath, target, good);
        return target;
    }
}
