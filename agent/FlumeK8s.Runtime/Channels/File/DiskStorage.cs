using FlumeK8s.Runtime.Disk;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>The real file system: positional reads and writes on raw handles, fdatasync for durability.</summary>
public sealed class DiskStorage : IStorage
{
    public static DiskStorage Instance { get; } = new();

    public IAppendFile Create(string path) => new AppendFile(System.IO.File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read), path);

    public IReadFile OpenRead(string path) =>
        new ReadFile(System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    public bool Exists(string path) => System.IO.File.Exists(path);

    public long Length(string path) => new FileInfo(path).Length;

    public void Delete(string path) => System.IO.File.Delete(path);

    public void Rename(string from, string to) => System.IO.File.Move(from, to, overwrite: true);

    public void FsyncDirectory(string directory) => DiskSync.Directory(directory);

    public long FreeBytes(string directory) => new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;

    /// <summary>
    /// A failure of the file system: .NET reports EACCES and EPERM (a directory made unwritable or
    /// immutable) as UnauthorizedAccessException, not as an IOException.
    /// </summary>
    public static bool IsFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    public long TotalBytes(string directory) => new DriveInfo(Path.GetFullPath(directory)).TotalSize;

    public IDisposable Lock(string directory)
    {
        var path = Path.Combine(directory, "in_use.lock");
        try
        {
            // FileShare.None takes an exclusive flock on Unix: a second agent (or a second channel in
            // this process) on the same directory fails here instead of corrupting the log.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw new IOException(IsLocked(e)
                ? $"directory {directory} is in use by another file channel ({e.Message})"
                : $"directory {directory} cannot be written: {e.Message}", e);
        }
    }

    // A lock held elsewhere fails flock with EWOULDBLOCK, which .NET reports as an IOException
    // carrying that errno; a read-only or unwritable directory fails otherwise and must say so,
    // not blame another channel.
    private const int EWouldBlock = 11;

    private static bool IsLocked(Exception e) => e is IOException { HResult: EWouldBlock };

    private sealed class AppendFile(SafeFileHandle handle, string path) : IAppendFile
    {
        public long Length { get; private set; } = RandomAccess.GetLength(handle);

        public void Append(ReadOnlySpan<byte> data)
        {
            RandomAccess.Write(handle, data, Length);
            Length += data.Length;
        }

        public void Sync() => DiskSync.File(handle, path);

        public void Dispose() => handle.Dispose();
    }

    private sealed class ReadFile(SafeFileHandle handle) : IReadFile
    {
        public long Length => RandomAccess.GetLength(handle);

        public int ReadAt(long offset, Span<byte> buffer)
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer[total..], offset + total);
                if (read == 0)
                {
                    break;
                }
                total += read;
            }
            return total;
        }

        public void Dispose() => handle.Dispose();
    }
}
