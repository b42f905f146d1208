namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>
/// Finds the files waiting in the spool directory: regular names (not hidden, not ending in
/// <c>fileSuffix</c>, not marked in the tracker directory) that match <c>includePattern</c> and
/// not <c>ignorePattern</c>, in subdirectories too with <c>recursiveDirectorySearch</c> (hidden
/// and symbolically linked directories are not entered). Picks the next one by <c>consumeOrder</c>.
/// </summary>
internal sealed class SpoolDirectoryScanner(SpoolDirSourceSettings settings, SpoolCompletion completion, Random random)
{
    /// <summary>The next file to read, skipping those <paramref name="skip"/> rejects; null when none waits.</summary>
    public SpoolCandidate? Next(Func<SpoolCandidate, bool> skip)
    {
        var candidates = List().Where(c => !skip(c)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        return settings.ConsumeOrder switch
        {
            SpoolConsumeOrder.Random => candidates[random.Next(candidates.Count)],
            SpoolConsumeOrder.Youngest => candidates.Aggregate((best, c) => Compare(c, best, newestFirst: true) < 0 ? c : best),
            _ => candidates.Aggregate((best, c) => Compare(c, best, newestFirst: false) < 0 ? c : best),
        };
    }

    /// <summary>Every waiting file; directories that cannot be listed are left out (and listed again next time).</summary>
    public List<SpoolCandidate> List()
    {
        var found = new List<SpoolCandidate>();
        var directories = new Stack<DirectoryInfo>([new DirectoryInfo(settings.SpoolDir)]);
        while (directories.TryPop(out var directory))
        {
            FileSystemInfo[] entries;
            try
            {
                entries = directory.GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry.Name.StartsWith('.'))
                {
                    continue;
                }
                if (entry is DirectoryInfo subdirectory)
                {
                    if (settings.RecursiveDirectorySearch && subdirectory.LinkTarget is null && !IsTrackerDir(subdirectory))
                    {
                        directories.Push(subdirectory);
                    }
                    continue;
                }
                var file = (FileInfo)entry;
                var relative = Path.GetRelativePath(settings.SpoolDir, file.FullName);
                if (Accepts(file.Name) && !completion.IsTracked(relative))
                {
                    found.Add(new SpoolCandidate(file.FullName, relative, file.Exists ? file.Length : 0, file.LastWriteTimeUtc));
                }
            }
        }
        return found;
    }

    private bool Accepts(string name) =>
        !name.EndsWith(settings.FileSuffix, StringComparison.Ordinal)
        && settings.IncludePattern.IsMatch(name)
        && !settings.IgnorePattern.IsMatch(name);

    private bool IsTrackerDir(DirectoryInfo directory) =>
        string.Equals(Path.TrimEndingDirectorySeparator(directory.FullName), Path.TrimEndingDirectorySeparator(settings.TrackerDir), StringComparison.Ordinal);

    // By modification time, ties by path (ascending either way) so the order is stable.
    private static int Compare(SpoolCandidate a, SpoolCandidate b, bool newestFirst)
    {
        var byTime = newestFirst ? b.LastWriteUtc.CompareTo(a.LastWriteUtc) : a.LastWriteUtc.CompareTo(b.LastWriteUtc);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.RelativePath, b.RelativePath);
    }
}
