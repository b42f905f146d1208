using System.Globalization;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// The command line of <c>flumek8s local up -f &lt;tiers.yaml&gt; [--work-dir dir] [--agent path] [--nodes n]
/// [--rate events/s] [--events n] [--deadline seconds] [--kill-every seconds] [--plain]</c>.
/// </summary>
internal sealed record LocalUpArguments(
    string File,
    string WorkDirectory,
    string? Agent,
    int Nodes,
    int Rate,
    long? Events,
    TimeSpan Deadline,
    TimeSpan? KillEvery,
    bool Plain)
{
    public const string DefaultWorkDirectory = ".flumek8s-local";
    public const int DefaultRate = 2000;
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromMinutes(5);

    public const string Usage =
        "       flumek8s local up -f <tiers.yaml> [--work-dir <dir>] [--agent <flumek8s-agent>] [--nodes <n>] [--rate <events/s>]\n" +
        "                         [--events <n>] [--deadline <seconds>] [--kill-every <seconds>] [--plain]";

    public static LocalUpArguments? Parse(IReadOnlyList<string> args, out string? problem)
    {
        string? file = null, agent = null;
        var workDirectory = DefaultWorkDirectory;
        var nodes = 1;
        var rate = DefaultRate;
        long? events = null;
        var deadline = DefaultDeadline;
        TimeSpan? killEvery = null;
        var plain = false;
        problem = null;
        for (var i = 0; i < args.Count && problem is null; i++)
        {
            var arg = args[i];
            if (arg == "--plain")
            {
                plain = true;
                continue;
            }
            if (arg is not ("-f" or "--filename" or "--work-dir" or "--agent" or "--nodes" or "--rate" or "--events" or "--deadline" or "--kill-every"))
            {
                problem = $"unknown argument '{arg}'";
                break;
            }
            if (i + 1 >= args.Count || string.IsNullOrEmpty(args[i + 1]))
            {
                problem = $"{arg} needs a value";
                break;
            }
            var value = args[++i];
            switch (arg)
            {
                case "-f" or "--filename": file = value; break;
                case "--work-dir": workDirectory = value; break;
                case "--agent": agent = value; break;
                case "--nodes": nodes = (int)Number(arg, value, 1, 64, ref problem); break;
                case "--rate": rate = (int)Number(arg, value, 1, 1_000_000, ref problem); break;
                case "--events": events = Number(arg, value, 1, 100_000_000, ref problem); break;
                case "--deadline": deadline = Seconds(arg, value, ref problem); break;
                default: killEvery = Seconds(arg, value, ref problem); break;
            }
        }
        if (problem is null && file is null)
        {
            problem = "-f <tiers.yaml> is required";
        }
        return problem is null
            ? new LocalUpArguments(file!, workDirectory, agent, nodes, rate, events, deadline, killEvery, plain)
            : null;
    }

    private static long Number(string arg, string value, long min, long max, ref string? problem)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        problem ??= $"{arg} must be a whole number from {min} to {max}, not '{value}'";
        return min;
    }

    private static TimeSpan Seconds(string arg, string value, ref string? problem)
    {
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.1 and <= 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        problem ??= $"{arg} must be a number of seconds from 0.1 to 86400, not '{value}'";
        return TimeSpan.Zero;
    }
}
