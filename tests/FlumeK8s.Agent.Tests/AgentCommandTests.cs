using System.Net;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>The real agent process: start-up, configuration errors, metrics, reload and shutdown.</summary>
public sealed class AgentCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task InvalidConfig_ExitsTwoWithEveryProblemAndItsLine()
    {
        var config = Path.Combine(_dir, "broken.properties");
        await File.WriteAllTextAsync(config, """
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = nosuch
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = lots
            a1.sinks.k1.type = null
            a1.sinks.k1.channel = c9
            """);
        await using var agent = AgentProcess.Start("-n", "a1", "-f", config);
        Assert.Equal(2, await agent.WaitForExitAsync());
        var stderr = string.Join('\n', agent.Stderr);
        Assert.Contains("line 4: a1.sources.r1.type: unknown source type 'nosuch'", stderr);
        Assert.Contains("line 7: a1.channels.c1.capacity: 'lots' is not a whole number", stderr);
        Assert.Contains("line 9: a1.sinks.k1.channel: channel 'c9' is not defined", stderr);
    }

    [Fact]
    public async Task MissingArguments_ExitWithUsage()
    {
        await using var agent = AgentProcess.Start("-n", "a1");
        Assert.NotEqual(0, await agent.WaitForExitAsync());
        Assert.Contains(agent.Stderr, l => l.Contains("-f <file.properties> is required"));
    }

    [Fact]
    public async Task SeqToNull_DeliversEverythingAndReportsFlumeMetrics()
    {
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", AgentProcess.Example("flume/seq-null.properties"));
        await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount") == 100000, "100000 events drained");
        var metrics = await agent.MetricsAsync();
        Assert.Equal("100000", metrics.GetProperty("SOURCE.r1").GetProperty("EventAcceptedCount").GetString());
        Assert.Equal("100000", metrics.GetProperty("CHANNEL.c1").GetProperty("EventPutSuccessCount").GetString());
        Assert.Equal("0", metrics.GetProperty("CHANNEL.c1").GetProperty("ChannelSize").GetString());
        Assert.Equal("CHANNEL", metrics.GetProperty("CHANNEL.c1").GetProperty("Type").GetString());

        var prometheus = await (await agent.GetAsync("/metrics/prometheus")).Content.ReadAsStringAsync();
        Assert.Contains("flume_sink_event_drain_success_count{component=\"k1\",type=\"null\"} 100000", prometheus);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/readyz")).StatusCode);

        agent.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync());
        Assert.Contains(agent.Stdout, l => l.Contains("Stopped cleanly"));
    }

    [Fact]
    public async Task HotReload_ValidChangeApplied_InvalidChangeRejected()
    {
        var config = Path.Combine(_dir, "agent.properties");
        var text = await File.ReadAllTextAsync(AgentProcess.Example("flume/seq-logger.properties"));
        await File.WriteAllTextAsync(config, text);
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config, "--reload-interval", "0.2");
        await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount") == 10, "first topology delivered");

        await File.WriteAllTextAsync(config, text.Replace("type = logger", "type = nosuch"));
        await agent.WaitForOutputAsync(new Regex("Reload of .* rejected.*unknown sink type 'nosuch'"), "the bad reload to be rejected");
        Assert.Equal(10, await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount"));

        await File.WriteAllTextAsync(config, text.Replace("a1.sinks = k1", "a1.sinks = k2").Replace("sinks.k1", "sinks.k2").Replace("type = logger", "type = null"));
        await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k2", "EventDrainAttemptCount") >= 0, "the new sink to appear");
        Assert.Equal(-1, await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount"));

        agent.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync());
    }

    [Fact]
    public async Task Sigterm_DrainsChannelBeforeExit()
    {
        var config = Path.Combine(_dir, "drain.properties");
        var output = Path.Combine(_dir, "out");
        await File.WriteAllTextAsync(config, $"""
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = seq
            a1.sources.r1.totalEvents = 20000
            a1.sources.r1.batchSize = 100
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = 100000
            a1.channels.c1.transactionCapacity = 100
            a1.sinks.k1.type = logger
            a1.sinks.k1.batchSize = 10
            a1.sinks.k1.channel = c1
            """);
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
        await Poll.UntilAsync(async () => await agent.CounterAsync("SOURCE.r1", "EventAcceptedCount") == 20000, "all events generated");
        agent.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync());
        Assert.Equal(20000, agent.Stdout.Count(l => l.Contains("Event: {")));
    }
}
