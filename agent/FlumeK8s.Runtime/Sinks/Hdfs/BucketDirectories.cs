using FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// The directories this run has written to. The first time a bucket opens a file in one, it is
/// created and the in-use files an earlier run left there are finished. Used only under the sink's gate.
/// </summary>
internal sealed class BucketDirectories(IHdfsFileSystem fileSystem, InUseRecovery recovery, Func<string, bool> isOpen)
{
    private const int MaxRemembered = 10_000;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public async Task PrepareAsync(string directory, CancellationToken cancellationToken)
    {
        if (_known.Contains(directory))
        {
            return;
        }
        await fileSystem.CreateDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
        await recovery.RecoverTreeAsync(directory, 0, isOpen, cancellationToken).ConfigureAwait(false);
        if (_known.Count >= MaxRemembered)
        {
            _known.Clear();
        }
        _known.Add(directory);
    }

    /// <summary>After a failure in <paramref name="directory"/>: it may have been removed, so the next file there creates (and scans) it again.</summary>
    public void Forget(string directory) => _known.Remove(directory);
}
