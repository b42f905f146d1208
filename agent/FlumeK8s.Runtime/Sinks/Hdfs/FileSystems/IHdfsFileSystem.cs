namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>
/// The few file system operations the hdfs sink needs, over '/'-separated absolute paths.
/// Implementations: the local (or mounted) file system, and HDFS through WebHDFS. Failures are
/// <see cref="IOException"/>s with a message that names the operation and the path.
/// </summary>
internal interface IHdfsFileSystem : IDisposable
{
    /// <summary>Creates the directory and its parents; succeeds when it exists.</summary>
    Task CreateDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// What the sink checks before it starts: creates the directory if needed and fails
    /// (<see cref="UnauthorizedAccessException"/>) when this process may not create files in it.
    /// </summary>
    Task EnsureWritableDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates an empty file; null when something already has that name.</summary>
    Task<IHdfsOutputFile?> CreateAsync(string path, CancellationToken cancellationToken);

    /// <summary>The entry at <paramref name="path"/>, or null when there is none.</summary>
    Task<HdfsEntry?> GetStatusAsync(string path, CancellationToken cancellationToken);

    /// <summary>The entries of a directory (empty when it does not exist).</summary>
    Task<IReadOnlyList<HdfsEntry>> ListAsync(string directory, CancellationToken cancellationToken);

    /// <summary>Renames a file; false when the source is missing or the target exists (nothing is overwritten).</summary>
    Task<bool> RenameAsync(string from, string to, CancellationToken cancellationToken);

    /// <summary>Cuts a file to <paramref name="length"/> bytes; false when the file system could only start it (HDFS block recovery).</summary>
    Task<bool> TruncateAsync(string path, long length, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);
}
