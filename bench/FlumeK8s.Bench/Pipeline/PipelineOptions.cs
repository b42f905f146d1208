using System.Globalization;

namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// The pipeline scenario's options, after the run count and the scenario name:
/// <c>[-f tiers.yaml] [--events n] [--rate lines/s | max] [--line-bytes n] [--nodes n] [--deadline seconds]</c>.
/// By default the Meituan example, 2,000,000 lines of 200 bytes written as fast as the writer can, one node.
/// </summary>
internal sealed record PipelineOptions(string File, long Events, int? Rate, int LineBytes, int Nodes, TimeSpan Deadline)
{
    public const string Usage = "pipeline [-f <tiers.yaml>] [--events <n>] [--rate <lines/s>|max] [--line-bytes <n>] [--nodes <n>] [--deadline <seconds>]";

    public static PipelineOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PipelineOptions(DefaultFile(), 2_000_000, null, 200, 1, TimeSpan.FromMinutes(10));
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value; usage: {Usage}");
            }
            var value = args[i + 1];
            options = name switch
            {
                "-f" or "--filename" => options with { File = Path.GetFullPath(value) },
                "--events" => options with { Events = Number(name, value, 1, 100_000_000) },
                "--rate" => options with { Rate = value == "max" ? null : (int)Number(name, value, 1, int.MaxValue) },
                "--line-bytes" => options with { LineBytes = (int)Number(name, value, 16, 65_536) },
                "--nodes" => options with { Nodes = (int)Number(name, value, 1, 64) },
                "--deadline" => options with { Deadline = TimeSpan.FromSeconds(Number(name, value, 1, 86_400)) },
                _ => throw new ArgumentException($"unknown option '{name}'; usage: {Usage}"),
            };
        }
        if (!System.IO.File.Exists(options.File))
        {
            throw new ArgumentException($"no tiers file at {options.File}; give one with -f");
        }
        return options;
    }

    public string RateText => Rate is { } rate ? string.Create(CultureInfo.InvariantCulture, $"at {rate:N0} lines/s") : "as fast as the writer can";

    private static long Number(string name, string value, long min, long max) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{value}'");

    /// <summary>examples/meituan/tiers.yaml of the repository this benchmark was started in (or built from).</summary>
    private static string DefaultFile()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(directory.FullName, "FlumeK8s.sln")))
                {
                    return Path.Combine(directory.FullName, "examples", "meituan", "tiers.yaml");
                }
            }
        }
        return Path.GetFullPath(Path.Combine("examples", "meituan", "tiers.yaml"));
    }
}
