using FlumeK8s.Runtime.Disk;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>
/// A local file written with positioned writes. With <paramref name="fsync"/> each append is
/// followed by fdatasync (durable against a power loss); without, an append ends when the kernel
/// has the bytes (they survive the process being killed, as Flume's hflush survives a client crash).
/// </summary>
internal sealed class LocalOutputFile(string path, SafeFileHandle handle, bool fsync) : IHdfsOutputFile
{
    private long _length;

    public string Path { get; } = path;

    public Task AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.Write(handle, data.Span, _length);
        _length += data.Length;
        if (fsync)
        {
            DiskSync.File(handle, Path);
        }
        // On Linux a file whose directory was removed still takes writes, into nothing.
        if (!System.IO.File.Exists(Path))
        {
            throw new IOException($"{Path} was removed while it was being written");
        }
        return Task.CompletedTask;
    }

    public void Dispose() => handle.Dispose();
}
