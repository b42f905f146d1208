using System.Globalization;

namespace FlumeK8s.Bench;

/// <summary>What /proc tells about a process: the CPU time it has used.</summary>
internal static class ProcStat
{
    /// <summary>CPU time (user + system) the process has used so far; USER_HZ is 100 on Linux.</summary>
    public static double CpuSeconds(int pid)
    {
        // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name in parentheses (which may hold spaces).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }
}
