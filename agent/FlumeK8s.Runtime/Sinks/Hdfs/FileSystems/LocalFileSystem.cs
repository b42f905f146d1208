using FlumeK8s.Runtime.Disk;
namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>
/// The local or mounted file system (<c>file://</c> or a plain path). Calls are synchronous, so
/// <c>hdfs.callTimeout</c> cannot interrupt them; names are made durable by fsyncing the
/// directory after a create or a rename, whatever <paramref name="fsyncPerBatch"/> says of appends.
/// </summary>
internal sealed class LocalFileSystem(bool fsyncPerBatch = true) : IHdfsFileSystem
{
    public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        return Task.CompletedTask;
    }

    public Task EnsureWritableDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        DirectoryAccess.EnsureWritable(path);
        return Task.CompletedTask;
    }

    public Task<IHdfsOutputFile?> CreateAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (File.Exists(path) || Directory.Exists(path))
        {
            return Task.FromResult<IHdfsOutputFile?>(null);
        }
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        try
        {
            DiskSync.Directory(Parent(path));
        }
        catch (IOException)
        {
            handle.Dispose();
            throw;
        }
        return Task.FromResult<IHdfsOutputFile?>(new LocalOutputFile(path, handle, fsyncPerBatch));
    }

    public Task<HdfsEntry?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (file.Exists)
        {
            return Task.FromResult<HdfsEntry?>(new HdfsEntry(file.Name, false, file.Length));
        }
        return Task.FromResult<HdfsEntry?>(Directory.Exists(path) ? new HdfsEntry(file.Name, true, 0) : null);
    }

    public Task<IReadOnlyList<HdfsEntry>> ListAsync(string directory, CancellationToken cancellationToken)
    {
        var info = new DirectoryInfo(directory);
        if (!info.Exists)
        {
            return Task.FromResult<IReadOnlyList<HdfsEntry>>([]);
        }
        IReadOnlyList<HdfsEntry> entries = [.. info.EnumerateFileSystemInfos().Select(e => e is FileInfo f ? new HdfsEntry(f.Name, false, f.Length) : new HdfsEntry(e.Name, true, 0))];
        return Task.FromResult(entries);
    }

    public Task<bool> RenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(from) || File.Exists(to) || Directory.Exists(to))
        {
            return Task.FromResult(false);
        }
        File.Move(from, to, overwrite: false);
        DiskSync.Directory(Parent(to));
        return Task.FromResult(true);
    }

    public Task<bool> TruncateAsync(string path, long length, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.SetLength(handle, length);
        DiskSync.File(handle, path);
        return Task.FromResult(true);
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    }

    public void Dispose()
    {
    }

    private static string Parent(string path) => Path.GetDirectoryName(path) is { Length: > 0 } parent ? parent : "/";
}
