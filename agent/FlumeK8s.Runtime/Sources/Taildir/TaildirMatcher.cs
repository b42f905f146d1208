using FlumeK8s.Runtime.Sources.Files;

namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>
/// Lists the files of one file group. With <c>cachePatternMatching</c> the last listing is reused
/// while the directory's modification time is unchanged (no file was added, removed or renamed),
/// but only when that listing was taken well after the directory's last change: a change within
/// the file system's timestamp granularity after a listing would otherwise go unseen for good.
/// </summary>
internal sealed class TaildirMatcher(TaildirFileGroup group, bool cache, TimeProvider time)
{
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(1);

    private List<string> _listing = [];
    private long _listedDirectoryModified = long.MinValue;
    private DateTimeOffset _listedAt;

    public TaildirFileGroup Group => group;

    /// <summary>Matching file paths, sorted; none while the directory does not exist.</summary>
    public IReadOnlyList<string> Match()
    {
        var directory = NativeFileStat.Of(group.Directory);
        if (directory is null)
        {
            _listing = [];
            _listedDirectoryModified = long.MinValue;
            return _listing;
        }
        var modified = directory.Value.ModifiedNanos;
        if (cache && modified == _listedDirectoryModified && _listedAt - directory.Value.Modified >= Settled)
        {
            return _listing;
        }
        var now = time.GetUtcNow();
        _listing = [.. Directory.EnumerateFiles(group.Directory)
            .Where(path => group.FileNamePattern.IsMatch(Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)];
        _listedDirectoryModified = modified;
        _listedAt = now;
        return _listing;
    }
}
