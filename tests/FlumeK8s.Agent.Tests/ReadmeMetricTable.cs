using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The table of metric names in the README's "Admin endpoint and metrics" section, so the tests
/// check the names the documentation promises: one row per metric, with the component it belongs to
/// (<c>file channel</c>, <c>agent</c>, …), its name in Flume's JSON (empty for agent and process
/// figures), its Prometheus name and its type.
/// </summary>
internal static partial class ReadmeMetricTable
{
    public const string Section = "## Admin endpoint and metrics";

    public static IReadOnlyList<Row> Read()
    {
        var readme = File.ReadAllText(Path.Combine(AgentProcess.RepositoryRoot, "README.md"));
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return [.. RowPattern().Matches(section).Select(m => new Row(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value))];
    }

    [GeneratedRegex(@"(?m)^\| ([a-z ]+) \| (?:`(\w+)`)? ?\| `(\w+)` \| (counter|gauge) \|$")]
    private static partial Regex RowPattern();

    /// <param name="Component">source, channel, sink, a type and its kind (file channel), agent or process.</param>
    /// <param name="FlumeName">The attribute in <c>/metrics</c>; empty for a figure that only Prometheus has.</param>
    public sealed record Row(string Component, string FlumeName, string PrometheusName, string Type);
}
