using System.Runtime.InteropServices;

namespace FlumeK8s.Operator.Local;

/// <summary>POSIX signals to a child: .NET can only SIGKILL a process, and an agent drains only on SIGTERM.</summary>
internal static class NativeSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>False when the process is already gone.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
