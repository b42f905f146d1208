using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Disk;

/// <summary>
/// fdatasync of a file and fsync of a directory (so a created or renamed name survives a power loss
/// too): what the file channel's log and the hdfs sink's local files rely on for durability.
/// </summary>
internal static class DiskSync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void File(SafeFileHandle handle, string path)
    {
        if (Fdatasync(handle) != 0)
        {
            throw new IOException($"fdatasync of {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    public static void Directory(string path)
    {
        var fd = Open(path, ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int Fdatasync(SafeFileHandle fd);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
