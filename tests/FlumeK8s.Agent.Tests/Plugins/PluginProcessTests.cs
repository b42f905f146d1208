using System.Text.Json;

namespace FlumeK8s.Agent.Tests.Plugins;

/// <summary>The real agent with the example plugin loaded from a folder, and with plugins it must refuse.</summary>
public sealed class PluginProcessTests(ExamplePluginBuild plugins) : IClassFixture<ExamplePluginBuild>, IDisposable
{
    private const string Flow = """
        a1.sources = r1
        a1.channels = c1 c2
        a1.sinks = k1 k2
        a1.sources.r1.type = seq
        a1.sources.r1.totalEvents = 100
        a1.sources.r1.channels = c1 c2
        a1.sources.r1.interceptors = sev
        a1.sources.r1.interceptors.sev.type = acme-severity
        a1.sources.r1.interceptors.sev.defaultSeverity = NOTICE
        a1.channels.c1.type = memory
        a1.sinks.k1.type = Acme.Logs.JsonLinesSink, Acme.Logs
        a1.sinks.k1.channel = c1
        a1.sinks.k1.directory = {dir}/out
        a1.channels.c2.type = memory
        a1.sinks.k2.type = file_roll
        a1.sinks.k2.channel = c2
        a1.sinks.k2.sink.directory = {dir}/kv
        a1.sinks.k2.sink.rollInterval = 0
        a1.sinks.k2.sink.serializer = acme-kv
        a1.sinks.k2.sink.serializer.separator = ;
        """;

    private readonly WorkDirectory _dir = new("flumek8s-plugin-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Agent_ExamplePlugin_InterceptsDeliversAndSerializesWithItsCounters()
    {
        var config = _dir.WriteConfig("agent.properties", Flow.Replace("{dir}", _dir.Root));
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config, "--plugins", plugins.ExampleFolder);
        await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount") == 100, "the plugin sink drained 100 events");
        await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k2", "EventDrainSuccessCount") == 100, "file_roll drained 100 events");

        var lines = File.ReadAllLines(_dir.PathOf("out/events.jsonl"));
        Assert.Equal(100, lines.Length);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(n => n.ToString()), events.Select(e => e.GetProperty("body").GetString()));
        Assert.All(events, e => Assert.Equal("NOTICE", e.GetProperty("headers").GetProperty("severity").GetString()));
        Assert.Equal(new FileInfo(_dir.PathOf("out/events.jsonl")).Length, await agent.CounterAsync("SINK.k1", "BytesWrittenCount"));
        // file_roll with the plugin's serializer: headers, its separator setting, the body.
        var serialized = File.ReadAllLines(Directory.EnumerateFiles(_dir.PathOf("kv")).Single());
        Assert.Equal(Enumerable.Range(0, 100).Select(n => $"severity=NOTICE;{n}"), serialized);
        var scrape = await (await agent.GetAsync("/metrics/prometheus")).Content.ReadAsStringAsync();
        Assert.Contains("flume_sink_bytes_written_count{component=\"k1\",type=\"acme-jsonlines\"}", scrape);
    }

    [Theory]
    [InlineData("a1.sinks.k1.type = Acme.Logs.Missing, Acme.Logs", "a1.sinks.k1.type", "plugin Acme.Logs (", "has no type Acme.Logs.Missing")]
    [InlineData("a1.sinks.k1.type = Acme.Logs.SeverityInterceptor", "a1.sinks.k1.type", "Acme.Logs.SeverityInterceptor (plugin ", "is not a sink: it does not implement FlumeK8s.Plugins.ISinkPlugin")]
    [InlineData("a1.sources.r1.interceptors.sev.pattern = (unclosed", "a1.sources.r1.interceptors.sev.type", "Acme.Logs.SeverityInterceptor (plugin ", "its constructor threw RegexParseException")]
    [InlineData("a1.sinks.k1.type = Company.Other.Sink, Company.Other", "a1.sinks.k1.type", "no plugin assembly Company.Other in the plugins folder", "(loaded: Acme.Logs)")]
    [InlineData("a1.sinks.k2.sink.serializer = Acme.Logs.JsonLinesSink", "a1.sinks.k2.sink.serializer", "'Acme.Logs.JsonLinesSink' is not supported by file_roll", "use one of: TEXT, HEADER_AND_TEXT")]
    public async Task Agent_ConfigNamesAPluginWrongly_RefusesToStartSayingWhy(string change, string key, string names, string cause)
    {
        var text = Flow.Replace("{dir}", _dir.Root);
        var changedKey = change[..change.IndexOf(" =", StringComparison.Ordinal)];
        text = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith(changedKey + " ", StringComparison.Ordinal))) + "\n" + change + "\n";
        var config = _dir.WriteConfig("agent.properties", text);
        await using var agent = AgentProcess.Start("-n", "a1", "-f", config, "--plugins", plugins.ExampleFolder, "--http-port", "0", "--http-bind", "127.0.0.1");

        Assert.Equal(2, await agent.WaitForExitAsync());
        var stderr = string.Join('\n', agent.Stderr);
        var line = agent.Stderr.FirstOrDefault(l => l.Contains(key, StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains(names, StringComparison.Ordinal) && line.Contains(cause, StringComparison.Ordinal), stderr);
    }

    [Fact]
    public async Task Agent_PluginBuiltAgainstAnotherApiMajor_RefusedAtStart()
    {
        var config = _dir.WriteConfig("agent.properties", Flow.Replace("{dir}", _dir.Root));
        await using var agent = AgentProcess.Start("-n", "a1", "-f", config, "--plugins", plugins.FutureMajorFolder, "--http-port", "0", "--http-bind", "127.0.0.1");

        Assert.Equal(2, await agent.WaitForExitAsync());
        var stderr = string.Join('\n', agent.Stderr);
        Assert.Contains("Future.Logs.dll: built against plugin API 2.0; this agent has API 1.0", stderr);
    }

    [Fact]
    public async Task Agent_UnreadablePluginFile_RefusedAtStart()
    {
        var folder = _dir.PathOf("plugins");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "Broken.dll"), "not an assembly");
        var config = _dir.WriteConfig("agent.properties", Flow.Replace("{dir}", _dir.Root));
        await using var agent = AgentProcess.Start("-n", "a1", "-f", config, "--plugins", folder, "--http-port", "0", "--http-bind", "127.0.0.1");

        Assert.Equal(2, await agent.WaitForExitAsync());
        Assert.Contains($"plugin {Path.Combine(folder, "Broken.dll")}: cannot be read as a .NET assembly", string.Join('\n', agent.Stderr));
    }
}
