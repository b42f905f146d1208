namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>
/// Marks a fully committed file as done: deletes it (<c>deletePolicy=immediate</c>), renames it
/// to its name plus <c>fileSuffix</c>, or creates its marker under <c>trackerDir</c>. Throws
/// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it cannot.
/// </summary>
internal sealed class SpoolCompletion(SpoolDirSourceSettings settings, TimeProvider time)
{
    /// <summary>True when the tracker directory holds a marker for the file (tracker_dir policy only).</summary>
    public bool IsTracked(string relativePath) =>
        settings.TrackingPolicy == SpoolTrackingPolicy.TrackerDir && !settings.DeleteImmediately && File.Exists(MarkerPath(relativePath));

    /// <summary>Marks the file done; returns what was done, for the log.</summary>
    public string Complete(string fullPath, string relativePath)
    {
        if (settings.DeleteImmediately)
        {
            File.Delete(fullPath);
            return "deleted";
        }
        if (settings.TrackingPolicy == SpoolTrackingPolicy.TrackerDir)
        {
            var marker = MarkerPath(relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
            File.WriteAllBytes(marker, []);
            return $"tracked as {marker}";
        }
        var target = fullPath + settings.FileSuffix;
        if (File.Exists(target))
        {
            // Flume stops on a reused name. Both files' events were delivered, so keep both
            // rather than stop or overwrite: the second one gets a unique name.
            target = $"{fullPath}.{time.GetUtcNow().ToUnixTimeMilliseconds()}{settings.FileSuffix}";
        }
        File.Move(fullPath, target, overwrite: false);
        return $"renamed to {target}";
    }

    private string MarkerPath(string relativePath) => Path.Combine(settings.TrackerDir, relativePath + settings.FileSuffix);
}
