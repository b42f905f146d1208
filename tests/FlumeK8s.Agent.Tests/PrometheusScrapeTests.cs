using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The real agent's metrics against the README's table: every documented name is scraped, with its
/// labels and type, and nothing is scraped that the table does not document.
/// </summary>
public sealed class PrometheusScrapeTests : IDisposable
{
    // One component of every type that adds metrics of its own. The Kafka components point at a
    // loopback port nobody listens on: their counters exist from the start, a broker is not needed.
    private const string Flow = """
        a1.sources = r1 r2
        a1.channels = c1 c2 c3 c4 c5
        a1.sinks = k1 k2 k3 k4
        a1.sources.r1.type = seq
        a1.sources.r1.totalEvents = 100
        a1.sources.r1.channels = c1 c2 c3 c5
        a1.sources.r2.type = kafka
        a1.sources.r2.kafka.bootstrap.servers = 127.0.0.1:1
        a1.sources.r2.kafka.topics = t
        a1.sources.r2.channels = c4
        a1.channels.c1.type = memory
        a1.channels.c2.type = file
        a1.channels.c2.checkpointDir = {dir}/c2/checkpoint
        a1.channels.c2.dataDirs = {dir}/c2/data
        a1.channels.c3.type = spillablememory
        a1.channels.c3.checkpointDir = {dir}/c3/checkpoint
        a1.channels.c3.dataDirs = {dir}/c3/data
        a1.channels.c4.type = kafka
        a1.channels.c4.kafka.bootstrap.servers = 127.0.0.1:1
        a1.channels.c4.kafka.topic = t
        a1.channels.c5.type = null
        a1.sinks.k1.type = null
        a1.sinks.k1.channel = c1
        a1.sinks.k2.type = null
        a1.sinks.k2.channel = c2
        a1.sinks.k3.type = null
        a1.sinks.k3.channel = c3
        a1.sinks.k4.type = kafka
        a1.sinks.k4.kafka.bootstrap.servers = 127.0.0.1:1
        a1.sinks.k4.kafka.topic = t
        a1.sinks.k4.channel = c4
        """;

    // Which of the flow's components each README row applies to: (Flume key, type label).
    private static readonly Dictionary<string, (string Key, string Type)[]> Components = new()
    {
        ["source"] = [("SOURCE.r1", "seq"), ("SOURCE.r2", "kafka")],
        ["channel"] = [("CHANNEL.c1", "memory"), ("CHANNEL.c2", "file"), ("CHANNEL.c3", "spillablememory"), ("CHANNEL.c4", "kafka"), ("CHANNEL.c5", "null")],
        ["sink"] = [("SINK.k1", "null"), ("SINK.k2", "null"), ("SINK.k3", "null"), ("SINK.k4", "kafka")],
        ["file channel"] = [("CHANNEL.c2", "file")],
        ["spillablememory channel"] = [("CHANNEL.c3", "spillablememory")],
        ["null channel"] = [("CHANNEL.c5", "null")],
        ["kafka source"] = [("SOURCE.r2", "kafka")],
        ["kafka channel"] = [("CHANNEL.c4", "kafka")],
        ["kafka sink"] = [("SINK.k4", "kafka")],
        ["agent"] = [],
        ["process"] = [],
    };

    private readonly WorkDirectory _dir = new("flumek8s-scrape-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Scrape_EveryMetricTheReadmeLists_WithItsLabelsAndTypeAndNothingUndocumented()
    {
        var rows = ReadmeMetricTable.Read();
        Assert.True(rows.Count >= 50, $"the README's metric table has {rows.Count} rows; was it reformatted?");
        var config = _dir.WriteConfig("agent.properties", Flow.Replace("{dir}", _dir.Root));
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
        await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k3", "EventDrainSuccessCount") == 100, "the seq events drained");

        var scrape = await agent.GetAsync("/metrics/prometheus");
        var text = await scrape.Content.ReadAsStringAsync();
        var json = await agent.MetricsAsync();
        var types = Regex.Matches(text, @"(?m)^# TYPE (\w+) (\w+)$").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var samples = Regex.Matches(text, @"(?m)^(\w+(?:\{[^}]*\})?) ").Select(m => m.Groups[1].Value).ToHashSet();

        List<string> problems = [];
        foreach (var row in rows)
        {
            if (!Components.TryGetValue(row.Component, out var components))
            {
                problems.Add($"README row {row.PrometheusName}: the test runs no '{row.Component}'");
                continue;
            }
            if (types.GetValueOrDefault(row.PrometheusName) != row.Type)
            {
                problems.Add($"{row.PrometheusName}: TYPE {types.GetValueOrDefault(row.PrometheusName) ?? "missing"}, README says {row.Type}");
            }
            if (components.Length == 0 && !samples.Contains(row.PrometheusName) && !samples.Contains(row.PrometheusName + "{}"))
            {
                problems.Add($"{row.PrometheusName}: no sample");
            }
            foreach (var (key, type) in components)
            {
                var labels = $"{{component=\"{key[(key.IndexOf('.') + 1)..]}\",type=\"{type}\"}}";
                if (!samples.Contains(row.PrometheusName + labels))
                {
                    problems.Add($"{row.PrometheusName}{labels}: no sample");
                }
                if (!json.TryGetProperty(key, out var component) || !component.TryGetProperty(row.FlumeName, out _))
                {
                    problems.Add($"/metrics {key}: no {row.FlumeName}");
                }
            }
        }
        var documented = rows.Select(r => r.PrometheusName).ToHashSet();
        problems.AddRange(types.Keys.Where(name => !documented.Contains(name)).Select(name => $"{name}: scraped but not in the README"));

        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n--- scrape:\n" + text);
        Assert.Contains("flume_sink_event_drain_success_count{component=\"k1\",type=\"null\"} 100", text);
        Assert.Equal("100", json.GetProperty("CHANNEL.c2").GetProperty("EventPutSuccessCount").GetString());
        Assert.Contains("flume_channel_event_discard_count{component=\"c5\",type=\"null\"} 100", text);
    }
}
