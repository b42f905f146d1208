using System.Net;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The drain a scale-down asks for, on the real agent: a collector (grpc hop source, file channel,
/// avro sink) holds events its next tier is not up to take. POST /drain closes the hop port and
/// turns it not ready while it keeps every event; once the next tier is up the channel empties and
/// GET /drain says so. DELETE /drain opens the port again.
/// </summary>
public sealed class DrainEndpointProcessTests : IDisposable
{
    private const int Events = 300;
    private readonly WorkDirectory _work = new("flumek8s-drain-endpoint-");
    private readonly int _hopPort = Loopback.FreePort();
    private readonly int _nextTierPort = Loopback.FreePort();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Drain_ClosesTheHopPortAndTurnsNotReady_ThenEmptiesIntoTheNextTier()
    {
        await using var collector = await StartHoldingAsync();

        var (code, status) = await DrainCallAsync(collector, HttpMethod.Post);

        Assert.Equal(HttpStatusCode.Accepted, code);
        Assert.Equal((true, false, (long)Events), (status.Draining, status.Empty, status.Events));
        Assert.Equal(Events, status.Channels["disk"]);
        using (var ready = await collector.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.StartsWith("draining", await ready.Content.ReadAsStringAsync());
        }
        Assert.False(await Loopback.AcceptsAsync(_hopPort), "the hop port still accepts connections");
        Assert.True((await DrainCallAsync(collector, HttpMethod.Get)).Status.Events > 0);

        await using var nextTier = await AvroCollector.StartAsync(_work.Root, _nextTierPort, Output);
        await Poll.UntilAsync(async () => (await DrainCallAsync(collector, HttpMethod.Get)).Status.Empty, "the drain to finish");

        Assert.Equal(Events, Loopback.Delivered(Output).Count);
        Assert.Equal(0, (await DrainCallAsync(collector, HttpMethod.Get)).Status.Events);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await collector.GetAsync("/readyz")).StatusCode);
        collector.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await collector.WaitForExitAsync());
    }

    [Fact]
    public async Task CancelledDrain_OpensTheHopPortAndTurnsReady_NothingLost()
    {
        await using var collector = await StartHoldingAsync();
        await DrainCallAsync(collector, HttpMethod.Post);
        Assert.False(await Loopback.AcceptsAsync(_hopPort), "the hop port still accepts connections");

        var (code, status) = await DrainCallAsync(collector, HttpMethod.Delete);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal((false, false, (long)Events), (status.Draining, status.Empty, status.Events));
        Assert.True(await Loopback.AcceptsAsync(_hopPort), "the hop port refuses connections");
        Assert.Equal(HttpStatusCode.OK, (await collector.GetAsync("/readyz")).StatusCode);

        await using var nextTier = await AvroCollector.StartAsync(_work.Root, _nextTierPort, Output);
        await Poll.UntilAsync(() => Task.FromResult(Loopback.Delivered(Output).Count == Events), $"all {Events} events at the next tier");
    }

    private string Output => _work.PathOf("out");

    // The collector with every event a sender sent in its file channel: its next tier is not running.
    private async Task<AgentProcess> StartHoldingAsync()
    {
        var collector = await AgentProcess.StartReadyAsync("-n", "collector", "-f", _work.WriteConfig("collector.properties", FileChannelTier.Config("collector", "grpc", _hopPort, _work, _nextTierPort)));
        await using var sender = await AgentProcess.StartReadyAsync("-n", "sender", "-f", _work.WriteConfig("sender.properties", SenderConfig()));
        await Poll.UntilAsync(async () => await sender.CounterAsync("SINK.k1", "EventDrainSuccessCount") == Events, "the sender to deliver to the collector");
        return collector;
    }

    private static async Task<(HttpStatusCode Code, DrainStatus Status)> DrainCallAsync(AgentProcess agent, HttpMethod method)
    {
        using var response = await agent.SendAsync(method, "/drain");
        return (response.StatusCode, DrainStatusJson.Parse(await response.Content.ReadAsStringAsync()));
    }

    private string SenderConfig() => $"""
        sender.sources = r1
        sender.channels = c1
        sender.sinks = k1
        sender.sources.r1.type = seq
        sender.sources.r1.totalEvents = {Events}
        sender.sources.r1.batchSize = 100
        sender.sources.r1.channels = c1
        sender.channels.c1.type = memory
        sender.sinks.k1.type = grpc
        sender.sinks.k1.hosts = 127.0.0.1:{_hopPort}
        sender.sinks.k1.channel = c1
        """;
}
