using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using FlumeK8s.Operator.Tests.Support;
using FlumeK8s.Tests;

namespace FlumeK8s.Operator.Tests.Local;

/// <summary>
/// examples/meituan/categories.yaml run by <c>flumek8s local up</c> with its outputs real: the bypass
/// consumer is the example's plain agent, Kafka is librdkafka's mock cluster inside each collector
/// (read back by this test over loopback). Lines of every category go in at the agent tier; each must
/// come out of its own output only, and the filtered category out of none.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class MeituanCategoriesLocalUpTests : IDisposable
{
    private const int PerCategory = 25;
    private static readonly string Examples = Path.Combine(Rendering.Fixtures.RepositoryRoot, "examples", "meituan");
    private static readonly string[] Categories = ["b", "m", "s", "rt", "bypass", "debug"];

    private readonly string _directory = Directory.CreateTempSubdirectory("flumek8s-categories-").FullName;
    private Process? _consumer;

    public void Dispose()
    {
        if (_consumer is { HasExited: false })
        {
            _consumer.Kill(entireProcessTree: true);
        }
        _consumer?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string Work => Path.Combine(_directory, "work");

    private string BypassOutput => Path.Combine(_directory, "bypass");

    [Fact]
    public async Task LocalUp_LinesOfEveryCategory_EachLandsInItsOwnOutputAndFilteredOnesNowhere()
    {
        // The example's bypass port, moved to a free one so the test never collides with a running consumer.
        var port = FreeLoopbackPort.Next();
        var tiers = Path.Combine(_directory, "categories.yaml");
        File.WriteAllText(tiers, File.ReadAllText(Path.Combine(Examples, "categories.yaml")).Replace("port: \"4545\"", $"port: \"{port}\""));
        StartConsumer(port);
        var environment = new Dictionary<string, string> { ["BYPASS_HOST"] = "127.0.0.1", ["KAFKA_BOOTSTRAP"] = "mock", ["KAFKA_MOCK_BROKERS"] = "3" };
        using var run = new LocalUpProcess(Work, environment, "-f", tiers, "--rate", "5");
        await Eventually.TrueAsync(() => run.Stdout.Contains("] running |", StringComparison.Ordinal), "every tier running: " + run.Stdout + run.Stderr, TimeSpan.FromSeconds(90));

        var input = Path.Combine(Work, "nodes", "node-0", "var", "log", "apps", "categories.log");
        await File.WriteAllLinesAsync(input, Categories.SelectMany(c => Enumerable.Range(0, PerCategory).Select(i => $"id={c}-{i} category={c} level=INFO msg=\"a categorised line\"")));

        var archive = Path.Combine(Work, "logging", "claims", "flumek8s-archive");
        Dictionary<string, HashSet<string>> landed = [];
        await Eventually.TrueAsync(() =>
        {
            landed = new()
            {
                ["hdfs b"] = Ids(Path.Combine(archive, "b")),
                ["hdfs m"] = Ids(Path.Combine(archive, "m")),
                ["hdfs s"] = Ids(Path.Combine(archive, "s")),
                ["bypass"] = Ids(BypassOutput),
                ["kafka"] = KafkaIds(),
            };
            return landed.Values.Sum(ids => ids.Count) >= 5 * PerCategory;
        }, "every routed line landed", TimeSpan.FromSeconds(90));

        Assert.Equal(Expected("b"), landed["hdfs b"]);
        Assert.Equal(Expected("m"), landed["hdfs m"]);
        Assert.Equal(Expected("s"), landed["hdfs s"]);
        Assert.Equal(Expected("rt"), landed["kafka"]);
        Assert.Equal(Expected("bypass"), landed["bypass"]);
        // Filtered: past the collectors, in no output and none of their channels' files (the agents'
        // file channel forwards every category and keeps its log until checkpointed), counted as discarded.
        var collectors = Directory.EnumerateDirectories(Path.Combine(Work, "logging", "pods"), "collectors-*").SelectMany(Ids);
        Assert.DoesNotContain(landed.Values.SelectMany(ids => ids).Concat(Ids(archive)).Concat(collectors), id => id.StartsWith("debug-", StringComparison.Ordinal));
        Assert.Equal(PerCategory, await DiscardedAsync(run));
        // The generator's lines have no category: the default route, big-volume HDFS only.
        Assert.Contains("seq=", string.Concat(Directory.EnumerateFiles(Path.Combine(archive, "b"), "*", SearchOption.AllDirectories).Select(File.ReadAllText)));

        run.Signal(LocalUpProcess.SigTerm);
        Assert.Equal(0, await run.ExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static HashSet<string> Expected(string category) => [.. Enumerable.Range(0, PerCategory).Select(i => $"{category}-{i}")];

    private static HashSet<string> Ids(string folder) => Directory.Exists(folder)
        ? [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".properties", StringComparison.Ordinal) && !f.EndsWith("categories.log", StringComparison.Ordinal)
                && !f.EndsWith(".lock", StringComparison.Ordinal)) // a channel's lock file, held by its agent
            .SelectMany(f => IdPattern().Matches(ReadShared(f)).Select(m => m.Groups[1].Value))]
        : [];

    // Files the agents are still writing (in-use HDFS files, file channel logs): read without locking them.
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The ids on the real-time topic of every collector's mock cluster (its addresses are in the collector's log).</summary>
    private HashSet<string> KafkaIds()
    {
        var ids = new HashSet<string>();
        foreach (var log in Directory.EnumerateFiles(Path.Combine(Work, "logging", "pods"), "agent.log", SearchOption.AllDirectories))
        {
            if (MockBootstrap().Match(ReadShared(log)) is not { Success: true } match)
            {
                continue;
            }
            var config = new ConsumerConfig
            {
                BootstrapServers = match.Groups[1].Value,
                GroupId = Guid.NewGuid().ToString("N"),
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            };
            using var consumer = new ConsumerBuilder<Ignore, string>(config).SetLogHandler((_, _) => { }).Build();
            consumer.Subscribe("app-logs-realtime");
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (DateTime.UtcNow < until)
            {
                ConsumeResult<Ignore, string>? record;
                try
                {
                    record = consumer.Consume(TimeSpan.FromMilliseconds(200));
                }
                catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
                {
                    break; // This collector has produced nothing yet: its mock cluster has no topic.
                }
                if (record?.Message?.Value is { } value)
                {
                    ids.UnionWith(IdPattern().Matches(value).Select(m => m.Groups[1].Value));
                }
            }
            consumer.Close();
        }
        return ids;
    }

    /// <summary>EventDiscardCount of the chNull channel, summed over the collectors' admin endpoints.</summary>
    private static async Task<long> DiscardedAsync(LocalUpProcess run)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        long total = 0;
        foreach (var pid in run.Agents())
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            if (!commandLine.Any(a => a.Contains("collectors-", StringComparison.Ordinal)))
            {
                continue;
            }
            var port = commandLine[Array.IndexOf(commandLine, "--http-port") + 1];
            using var metrics = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
            total += long.Parse(metrics.RootElement.GetProperty("CHANNEL.chNull").GetProperty("EventDiscardCount").GetString()!);
        }
        return total;
    }

    private void StartConsumer(int port)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "flumek8s-agent.dll"), "-n", "consumer", "-f", Path.Combine(Examples, "bypass-consumer.properties"),
            "--http-port", "0", "--http-bind", "127.0.0.1", "--no-reload-conf" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["BYPASS_BIND"] = "127.0.0.1";
        info.Environment["BYPASS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["BYPASS_DIR"] = BypassOutput;
        Directory.CreateDirectory(BypassOutput);
        _consumer = Process.Start(info)!;
        _consumer.OutputDataReceived += (_, _) => { };
        _consumer.ErrorDataReceived += (_, _) => { };
        _consumer.BeginOutputReadLine();
        _consumer.BeginErrorReadLine();
    }

    [GeneratedRegex(@"\bid=([a-z]+-\d+)")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"replaced with (127\.0\.0\.1:\d+(?:,127\.0\.0\.1:\d+)*)")]
    private static partial Regex MockBootstrap();
}
