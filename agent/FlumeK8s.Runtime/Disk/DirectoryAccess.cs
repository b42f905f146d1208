using System.Runtime.InteropServices;

namespace FlumeK8s.Runtime.Disk;

/// <summary>
/// Whether this process may create files in a directory, asked of the kernel (access(2)) without
/// writing anything: the answer covers ownership and mode, a read-only mount and an immutable
/// directory, for root too, which mode bits alone would not tell.
/// </summary>
internal static class DirectoryAccess
{
    private const int WriteAndSearch = 2 | 1; // W_OK | X_OK

    /// <summary>Throws <see cref="UnauthorizedAccessException"/>, as .NET does for EACCES and EPERM, naming the directory and the cause.</summary>
    public static void EnsureWritable(string directory)
    {
        if (Access(directory, WriteAndSearch) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new UnauthorizedAccessException($"Access to the path '{directory}' is denied: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
}
