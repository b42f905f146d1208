using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>The real file system: positional reads and writes on raw handles, fdatasync for durability.</summary>
public sealed class DiskStorage : IStorage
{
    public static DiskStorage Instance { get; } = new();

    public IAppendFile Create(string path) => new AppendFile(System.IO.File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read));

    public IReadFile OpenRead(string path) =>
        new ReadFile(System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    public bool Exists(string path) => System.IO.File.Exists(path);

    public long Length(string path) => new FileInfo(path).Length;

    public void Delete(string path) => System.IO.File.Delete(path);

    public void Rename(string from, string to) => System.IO.File.Move(from, to, overwrite: true);

    public void FsyncDirectory(string directory)
    {
        var fd = Native.Open(directory, Native.ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Native.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            Native.Close(fd);
        }
    }

    public long FreeBytes(string directory) => new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;

    public IDisposable Lock(string directory)
    {
        var path = Path.Combine(directory, "in_use.lock");
        try
        {
            // FileShare.None takes an exclusive flock on Unix: a second agent (or a second channel in
            // this process) on the same directory fails here instead of corrupting the log.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"directory {directory} is in use by another file channel ({e.Message})", e);
        }
    }

    private sealed class AppendFile(SafeFileHandle handle) : IAppendFile
    {
        public long Length { get; private set; } = RandomAccess.GetLength(handle);

        public void Append(ReadOnlySpan<byte> data)
        {
            RandomAccess.Write(handle, data, Length);
            Length += data.Length;
        }

        public void Sync()
        {
            if (Native.Fdatasync(handle) != 0)
            {
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }

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

    private static class Native
    {
        public const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

        [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
        public static extern int Fdatasync(SafeFileHandle fd);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "close")]
        public static extern int Close(int fd);
    }
}
