using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Sources.Files;

/// <summary>
/// Inode, size and modification time through Linux <c>statx(2)</c>. .NET has no API for inodes,
/// and <c>statx</c> is chosen over <c>stat</c> because its buffer has one layout on every
/// architecture (x64, arm64 …), while <c>struct stat</c> differs per architecture and older glibc
/// does not even export <c>stat</c> as a symbol. Needs Linux 4.11 and glibc 2.28 or musl 1.2.5.
/// </summary>
internal static class NativeFileStat
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxMtime = 0x40;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const uint Wanted = StatxMtime | StatxIno | StatxSize;
    private const int Enoent = 2;
    private const int Enotdir = 20;

    /// <summary>The status of the file at <paramref name="path"/> (symbolic links followed), or null when there is none.</summary>
    public static FileStatus? Of(string path)
    {
        EnsureSupported();
        if (statx(AtFdCwd, path, 0, Wanted, out var buffer) == 0)
        {
            return ToStatus(buffer);
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno is Enoent or Enotdir ? null : throw Failure(errno, path);
    }

    /// <summary>The status of an open file, which stays valid after the file is renamed or deleted.</summary>
    public static FileStatus Of(SafeFileHandle handle, string pathForErrors)
    {
        EnsureSupported();
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = checked((int)handle.DangerousGetHandle());
            return statx(fd, "", AtEmptyPath, Wanted, out var buffer) == 0
                ? ToStatus(buffer)
                : throw Failure(Marshal.GetLastPInvokeError(), pathForErrors);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("File identity (inode) is read with Linux statx; this source runs on Linux only");
        }
    }

    private static FileStatus ToStatus(in StatxBuffer buffer) =>
        new(buffer.Inode, checked((long)buffer.Size), buffer.ModifiedSeconds * 1_000_000_000 + buffer.ModifiedNanos);

    private static IOException Failure(int errno, string path) =>
        new($"statx '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    [DllImport("libc", SetLastError = true, ExactSpelling = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

    // struct statx from linux/stat.h: fixed 256 bytes, same offsets on every architecture.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(112)] public long ModifiedSeconds;
        [FieldOffset(120)] public uint ModifiedNanos;
    }
}
