namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// The buckets the sink writes to, least recently used first: past <c>hdfs.maxOpenFiles</c> the
/// oldest is closed, and a bucket without events for <c>hdfs.idleTimeout</c> is closed and forgotten
/// (Flume forgets an idle bucket altogether; its next event starts a new writer and counter). Used
/// only under the sink's gate; the idle timers re-enter it through <paramref name="idleDue"/>.
/// </summary>
internal sealed class OpenBuckets(
    int maxOpenFiles, TimeSpan idleTimeout, TimeProvider time, Func<string, string, string, BucketWriter> create, Action<BucketWriter> idleDue)
{
    private readonly Dictionary<string, LinkedListNode<BucketWriter>> _byKey = new(StringComparer.Ordinal);
    private readonly LinkedList<BucketWriter> _byUse = new();

    /// <summary>The writer of bucket (<paramref name="directory"/>, <paramref name="prefix"/>), made the most recently used.</summary>
    public async Task<BucketWriter> GetAsync(string directory, string prefix, CancellationToken cancellationToken)
    {
        var key = FileNaming.Combine(directory, prefix);
        if (_byKey.TryGetValue(key, out var node))
        {
            _byUse.Remove(node);
            _byUse.AddLast(node);
            return node.Value;
        }
        var writer = create(key, directory, prefix);
        _byKey[key] = _byUse.AddLast(writer);
        if (_byKey.Count > maxOpenFiles)
        {
            var evicted = _byUse.First!.Value;
            Forget(evicted);
            await evicted.CloseAsync("maxOpenFiles", cancellationToken).ConfigureAwait(false);
        }
        return writer;
    }

    /// <summary>After a write: the bucket's idle time starts again.</summary>
    public void Written(BucketWriter writer)
    {
        if (idleTimeout <= TimeSpan.Zero)
        {
            return;
        }
        if (writer.IdleTimer is { } timer)
        {
            timer.Change(idleTimeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            writer.IdleTimer = time.CreateTimer(_ => idleDue(writer), null, idleTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The idle timer of <paramref name="writer"/> fired: closes and forgets it, unless it was replaced meanwhile.</summary>
    public async Task CloseIdleAsync(BucketWriter writer, CancellationToken cancellationToken)
    {
        if (!_byKey.TryGetValue(writer.Key, out var node) || !ReferenceEquals(node.Value, writer))
        {
            return;
        }
        Forget(writer);
        await writer.CloseAsync("idleTimeout", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes every bucket's file (the sink stops) and forgets them all.</summary>
    public async Task CloseAllAsync(string reason, CancellationToken cancellationToken)
    {
        foreach (var writer in _byUse.ToList())
        {
            writer.IdleTimer?.Dispose();
            await writer.CloseAsync(reason, cancellationToken).ConfigureAwait(false);
        }
        _byKey.Clear();
        _byUse.Clear();
    }

    /// <summary>Whether a bucket is writing <paramref name="inUsePath"/> (recovery must leave it alone).</summary>
    public bool IsOpen(string inUsePath) => _byUse.Any(w => w.File?.InUsePath == inUsePath);

    public IReadOnlyList<string> InUsePaths() => [.. _byUse.Where(w => w.File is not null).Select(w => w.File!.InUsePath)];

    private void Forget(BucketWriter writer)
    {
        _byUse.Remove(_byKey[writer.Key]);
        _byKey.Remove(writer.Key);
        writer.IdleTimer?.Dispose();
    }
}
