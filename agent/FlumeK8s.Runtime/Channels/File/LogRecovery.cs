namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Rebuilds the queue after a start or a crash: the newest usable checkpoint (main, then backup),
/// then every block written after it, in log order; a full replay of the logs when no checkpoint is
/// usable. Follows "Recovery" in README.md; damage is reported, never fatal, so a damaged channel
/// still starts with everything that can be saved. The one refusal: a log file in a format version
/// this agent cannot read stops the start before anything is read or deleted.
/// </summary>
internal sealed class LogRecovery(IStorage storage, FileChannelSettings settings, LogVersions versions)
{
    private readonly List<string> _problems = [];
    private readonly Dictionary<int, string> _badHeaders = [];
    private long _corruptBlocks;
    private long _lostInCorruptBlocks;

    public RecoveredLog Recover()
    {
        var ids = new SortedSet<int>(LogFormat.ListLogIds(settings.DataDirs));
        RemoveEmptyTail(ids);
        var readers = ReadHeaders(ids);
        var (position, pointers, source) = ChooseStart(ids);

        var queue = new List<long>(pointers);
        var head = 0;
        var taken = new HashSet<long>();
        var liveCounts = new Dictionary<int, long>();
        var buffer = new byte[1 << 20];
        var blockPointers = new List<long>();
        foreach (var id in ids.Where(i => i >= LogFormat.FileOf(position)))
        {
            if (!readers.TryGetValue(id, out var version))
            {
                continue; // its header is damaged: reported by ReadHeaders
            }
            using var file = storage.OpenRead(LogFormat.LogPath(settings.DataDirs, id));
            var reader = new BlockReader(file, id, version);
            if (id == LogFormat.FileOf(position))
            {
                reader.Seek(LogFormat.OffsetOf(position));
            }
            while (reader.Next(ref buffer, out var length, out var blockOffset))
            {
                blockPointers.Clear();
                var kind = version.Decode(buffer.AsSpan(0, length), LogFormat.Position(id, blockOffset), blockPointers);
                Apply(kind, blockPointers, queue, ref head, taken);
            }
            foreach (var (offset, skipped, reason, lostEvents) in reader.Corruptions)
            {
                _corruptBlocks++;
                _lostInCorruptBlocks += lostEvents;
                _problems.Add($"log file {id}: {skipped} bytes at offset {offset} skipped ({reason}); a committed transaction there is lost" +
                    (lostEvents > 0 ? $" ({lostEvents} events)" : ""));
            }
            position = LogFormat.Position(id, reader.Position);
        }

        var live = new List<long>(queue.Count - head);
        long lost = 0;
        for (var i = head; i < queue.Count; i++)
        {
            var pointer = queue[i];
            if (taken.Contains(pointer))
            {
                continue;
            }
            var fileId = LogFormat.FileOf(pointer);
            if (!ids.Contains(fileId))
            {
                lost++;
                continue;
            }
            live.Add(pointer);
            liveCounts[fileId] = liveCounts.GetValueOrDefault(fileId) + 1;
        }
        if (lost > 0)
        {
            _problems.Add($"{lost} events pointed into log files that are missing; they are lost");
        }
        return new RecoveredLog(live, liveCounts, ids, position, source, _problems, _corruptBlocks, lost + _lostInCorruptBlocks);
    }

    // Every log file's header, before anything is replayed: the reader of its version. A damaged
    // header is reported and that file skipped (its events are lost); a version this agent cannot
    // read throws, naming every such file (see LogVersions.Unsupported), before anything changes.
    private Dictionary<int, ILogVersionReader> ReadHeaders(SortedSet<int> ids)
    {
        var readers = new Dictionary<int, ILogVersionReader>();
        var unsupported = new List<(string Path, uint Version)>();
        foreach (var id in ids)
        {
            var path = LogFormat.LogPath(settings.DataDirs, id);
            using var file = storage.OpenRead(path);
            var problem = LogFileHeader.Read(file, id, out var version);
            if (problem is not null)
            {
                _badHeaders[id] = problem;
                _problems.Add($"log file {id} is unusable ({problem}); its events are lost");
            }
            else if (versions.For(version) is { } reader)
            {
                readers[id] = reader;
            }
            else
            {
                unsupported.Add((path, version));
            }
        }
        return unsupported.Count == 0 ? readers : throw versions.Unsupported(unsupported);
    }

    private (long Position, long[] Pointers, string Source) ChooseStart(SortedSet<int> ids)
    {
        foreach (var (directory, name) in CheckpointDirectories())
        {
            var checkpoint = CheckpointFile.Read(storage, directory, out var problem);
            problem ??= checkpoint is { } c ? CheckPosition(c.Position, ids) : null;
            if (problem is null)
            {
                return (checkpoint!.Value.Position, checkpoint.Value.Pointers, name);
            }
            if (problem != "no checkpoint" || ids.Count > 0)
            {
                _problems.Add($"{name} checkpoint in {directory} is not usable: {problem}");
            }
        }
        var first = ids.Count > 0 ? ids.Min : 1;
        if (ids.Count > 0)
        {
            _problems.Add("replaying every log file from the start (no usable checkpoint)");
        }
        return (LogFormat.Position(first, LogFileHeader.Size), [], "full replay");
    }

    private IEnumerable<(string Directory, string Name)> CheckpointDirectories()
    {
        yield return (settings.CheckpointDir, "main");
        if (settings.UseDualCheckpoints && settings.BackupCheckpointDir is not null)
        {
            yield return (settings.BackupCheckpointDir, "backup");
        }
    }

    // The checkpoint must name a place inside a log file that exists and is what it claims to be.
    private string? CheckPosition(long position, SortedSet<int> ids)
    {
        var id = LogFormat.FileOf(position);
        if (!ids.Contains(id))
        {
            return $"it covers the log up to file {id}, which does not exist";
        }
        if (_badHeaders.TryGetValue(id, out var problem))
        {
            return $"log file {id} does not match it ({problem})";
        }
        return LogFormat.OffsetOf(position) > storage.Length(LogFormat.LogPath(settings.DataDirs, id))
            ? $"it covers more of log file {id} than the file holds"
            : null;
    }

    // PUT appends its pointers to the queue; TAKE removes its pointers from it.
    private static void Apply(BlockKind kind, List<long> pointers, List<long> queue, ref int head, HashSet<long> taken)
    {
        if (kind == BlockKind.Put)
        {
            queue.AddRange(pointers);
            return;
        }
        foreach (var pointer in pointers)
        {
            // Takes nearly always come from the head, in order: pop it there; anything else is
            // filtered out at the end.
            if (head < queue.Count && queue[head] == pointer)
            {
                head++;
            }
            else
            {
                taken.Add(pointer);
            }
        }
    }

    // A file shorter than its header was created by a process that died at once: it holds nothing.
    private void RemoveEmptyTail(SortedSet<int> ids)
    {
        foreach (var id in ids.ToList())
        {
            var path = LogFormat.LogPath(settings.DataDirs, id);
            if (storage.Length(path) < LogFileHeader.Size)
            {
                storage.Delete(path);
                ids.Remove(id);
            }
        }
        var missing = ids.Count == 0 ? 0 : ids.Max - ids.Min + 1 - ids.Count;
        if (missing > 0)
        {
            _problems.Add($"{missing} log files are missing between {ids.Min} and {ids.Max}");
        }
    }
}
