using System.Net;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// Reloads of the real agent while a channel holds acknowledged events its sink cannot deliver (the
/// collector is down): renaming the channel, and a reload that fails to start. Nothing acknowledged
/// may be lost; the collector, started later, receives every event.
/// </summary>
public sealed class ReloadProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-reload-").FullName;
    private readonly int _httpPort = Loopback.FreePort();
    private readonly int _collectorPort = Loopback.FreePort();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RenamingAChannelThatHoldsEvents_WaitsForThemToBeDeliveredThenApplies()
    {
        await using var agent = await StartHoldingAsync(600);
        // ChannelSize leaves out a batch a sink lane has taken for a delivery attempt that is about to
        // fail and roll back, so it is read until no attempt is under way.
        await Poll.UntilAsync(async () => await agent.CounterAsync("CHANNEL.c1", "ChannelSize") == 600, "600 events in c1");

        await File.WriteAllTextAsync(Config, AgentConfig("c2"));
        await agent.WaitForOutputAsync(new Regex("deferred: channel c1 \\(memory\\) still holds 600 events"), "the reload to be deferred");
        await Poll.UntilAsync(async () => await agent.CounterAsync("CHANNEL.c1", "ChannelSize") == 600, "600 events still in c1");
        Assert.Equal(-1, await agent.CounterAsync("CHANNEL.c2", "ChannelSize"));

        await using var collector = await AvroCollector.StartAsync(_dir, _collectorPort, Output);
        await Poll.UntilAsync(async () => await agent.CounterAsync("CHANNEL.c2", "ChannelSize") == 0, "the renamed channel to be running");
        Assert.Equal(-1, await agent.CounterAsync("CHANNEL.c1", "ChannelSize"));
        // The new channel shows in the metrics as soon as it runs, a moment before the source
        // listens again; a refused connection delivered nothing, so trying again is safe.
        await Poll.UntilAsync(async () => await TryPostAsync(600, 100) == HttpStatusCode.OK, "the http source to take events again");
        await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(Output).Count == 700), "all 700 events at the collector");
    }

    [Fact]
    public async Task AReloadThatFailsToStart_LeavesTheRunningChannelAndItsEventsAsTheyWere()
    {
        await using var agent = await StartHoldingAsync(300);

        // The new configuration adds a source on a port that is taken: it cannot start.
        using var busy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var busyPort = ((IPEndPoint)busy.LocalEndpoint).Port;
        await File.WriteAllTextAsync(Config, AgentConfig("c1").Replace("a1.sources = r1", "a1.sources = r1 r2") + $"""

            a1.sources.r2.type = netcat
            a1.sources.r2.bind = 127.0.0.1
            a1.sources.r2.port = {busyPort}
            a1.sources.r2.channels = c1
            """);
        await agent.WaitForOutputAsync(new Regex("could not start; the previous topology runs again"), "the reload to fail");
        Assert.Equal(300, await agent.CounterAsync("CHANNEL.c1", "ChannelSize"));
        Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, 300, 100));

        await using var collector = await AvroCollector.StartAsync(_dir, _collectorPort, Output);
        await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(Output).Count == 400), "all 400 events at the collector");
    }

    private async Task<HttpStatusCode?> TryPostAsync(long first, int count)
    {
        try
        {
            return await Loopback.PostEventsAsync(_httpPort, first, count);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private string Output => Path.Combine(_dir, "out");

    private string Config => Path.Combine(_dir, "agent.properties");

    // The agent with channel c1 holding <paramref name="events"/> acknowledged events (numbered from
    // 0, in posts of 100) that its sink cannot deliver: the collector is not running yet.
    private async Task<AgentProcess> StartHoldingAsync(int events)
    {
        await File.WriteAllTextAsync(Config, AgentConfig("c1"));
        var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", Config, "--reload-interval", "1");
        for (var first = 0; first < events; first += 100)
        {
            Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, first, 100));
        }
        return agent;
    }

    private string AgentConfig(string channel) => $"""
        a1.sources = r1
        a1.channels = {channel}
        a1.sinks = k1
        a1.sources.r1.type = http
        a1.sources.r1.bind = 127.0.0.1
        a1.sources.r1.port = {_httpPort}
        a1.sources.r1.channels = {channel}
        a1.channels.{channel}.type = memory
        a1.channels.{channel}.capacity = 10000
        a1.sinks.k1.type = avro
        a1.sinks.k1.hostname = 127.0.0.1
        a1.sinks.k1.port = {_collectorPort}
        a1.sinks.k1.channel = {channel}
        a1.sinks.k1.errorBackoffSleep = 300
        a1.sinks.k1.maxBackoffSleep = 300
        """;
}
