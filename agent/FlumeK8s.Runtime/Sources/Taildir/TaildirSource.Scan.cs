using FlumeK8s.Runtime.Sources.Files;

namespace FlumeK8s.Runtime.Sources.Taildir;

// Finding the files to tail: matches every group's pattern, follows renames by inode, and keeps
// files that were rotated away (or deleted) while they still have data to give.
public sealed partial class TaildirSource
{
    private void Refresh()
    {
        var firstScan = _saved is not null;
        var seen = new HashSet<ulong>();
        foreach (var matcher in _matchers)
        {
            IReadOnlyList<string> paths;
            try
            {
                paths = matcher.Match();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogScanFailed(_logger, Name, matcher.Group.Directory, e);
                continue;
            }
            foreach (var path in paths)
            {
                if (Stat(path) is { } status && seen.Add(status.Inode))
                {
                    Track(matcher.Group, path, status, firstScan);
                }
            }
        }
        foreach (var tail in _tails.Values.ToList())
        {
            if (!seen.Contains(tail.Inode))
            {
                Unmatched(tail);
            }
        }
        if (_saved is not null)
        {
            ResumeRotated(_saved.Values);
            _saved = null;
        }
    }

    private void Track(TaildirFileGroup group, string path, FileStatus status, bool firstScan)
    {
        if (_tails.TryGetValue(status.Inode, out var tail))
        {
            if (tail.Path != path)
            {
                LogRenamed(_logger, Name, tail.Path, path);
                tail.Rename(path);
                _positionsDirty = true;
            }
            tail.Matched = true;
            tail.Status = status;
            if (status.Size < tail.Committed)
            {
                LogTruncated(_logger, Name, path, tail.Committed, status.Size);
                tail.Restart(0);
                _positionsDirty = true;
            }
            return;
        }
        long start = 0;
        if (_saved is not null && _saved.Remove(status.Inode, out var saved))
        {
            start = saved.Pos;
            if (start > status.Size)
            {
                LogTruncated(_logger, Name, path, start, status.Size);
                start = 0;
            }
        }
        else if (firstScan && _settings.SkipToEnd)
        {
            // Only files already there at start: a file created later (a rotation's new file)
            // is new data and is read from its start.
            start = status.Size;
        }
        Add(new TailFile(status.Inode, path, group, start, _settings) { Matched = true, Status = status });
    }

    // The file's name no longer matches (rotated away) or it is gone. While its handle is open it
    // is read to its end; its new name (found by inode) goes into the position file.
    private void Unmatched(TailFile tail)
    {
        if (tail.Matched)
        {
            LogRotatedAway(_logger, Name, tail.Path);
            tail.Matched = false;
        }
        if (FindByInode(tail.Inode, tail.Path) is { } found)
        {
            if (!tail.IsOpen && tail.ClosedStatus == found.Status)
            {
                // Closed at its end for idleness and unchanged since: nothing left to read.
                Forget(tail);
                return;
            }
            if (found.Path != tail.Path)
            {
                tail.Rename(found.Path);
                _positionsDirty = true;
            }
            tail.Status = found.Status;
            return;
        }
        if (!tail.IsOpen)
        {
            LogGone(_logger, Name, tail.Path, tail.Committed);
            tail.Dispose();
            _tails.Remove(tail.Inode);
            _positionsDirty = true;
            return;
        }
        try
        {
            tail.Status = tail.StatusOfHandle();
        }
        catch (IOException e)
        {
            ReportReadFailure(tail, e);
        }
    }

    // Position-file entries no pattern matched: files rotated away before the restart that may
    // still hold unread lines.
    private void ResumeRotated(IEnumerable<TaildirPosition> saved)
    {
        foreach (var position in saved)
        {
            if (_tails.ContainsKey(position.Inode) || position.File.Length == 0 || FindByInode(position.Inode, position.File) is not { } found)
            {
                continue;
            }
            var start = position.Pos <= found.Status.Size ? position.Pos : 0;
            var directory = System.IO.Path.GetDirectoryName(found.Path);
            var group = _settings.FileGroups.FirstOrDefault(g => g.Directory == directory);
            LogResumingRotated(_logger, Name, found.Path, start);
            Add(new TailFile(position.Inode, found.Path, group, start, _settings) { Matched = false, Status = found.Status });
        }
    }

    private void Add(TailFile tail)
    {
        _tails[tail.Inode] = tail;
        _positionsDirty = true;
        LogTracking(_logger, Name, tail.Path, tail.Inode, tail.Committed);
    }

    // Where the file with this inode is now: at its last path, else elsewhere in that directory
    // (rotation renames within the directory).
    private (string Path, FileStatus Status)? FindByInode(ulong inode, string lastPath)
    {
        if (Stat(lastPath) is { } status && status.Inode == inode)
        {
            return (lastPath, status);
        }
        var directory = System.IO.Path.GetDirectoryName(lastPath);
        if (directory is null || !Directory.Exists(directory))
        {
            return null;
        }
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory))
            {
                if (Stat(path) is { } candidate && candidate.Inode == inode)
                {
                    return (path, candidate);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogScanFailed(_logger, Name, directory, e);
        }
        return null;
    }

    private FileStatus? Stat(string path)
    {
        try
        {
            return NativeFileStat.Of(path);
        }
        catch (IOException e)
        {
            LogScanFailed(_logger, Name, path, e);
            return null;
        }
    }
}
