using System.Net;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// A stop while a batch is on its way: the sender's avro sink has taken the last 100 events from its
/// file channel and sent them, and the collector, frozen with SIGSTOP, has not answered yet. SIGTERM
/// must wait for the acknowledgement and commit the take, so the next run on the same channel has
/// nothing to send again; SIGKILL may lose the take, so the next run sends the batch again
/// (at least once: duplicates, never a loss).
/// </summary>
public sealed class CleanStopTests : IDisposable
{
    private const int Events = 1000;
    private const int Batch = 100;
    private readonly WorkDirectory _work = new("flumek8s-clean-stop-");
    private readonly int _httpPort = Loopback.FreePort();
    private readonly int _collectorPort = Loopback.FreePort();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Sigterm_WithABatchInFlight_WaitsForItsAcknowledgement_AndTheNextRunSendsNothingAgain()
    {
        await using var collector = await AvroCollector.StartAsync(_work.Root, _collectorPort, Output);
        var config = _work.WriteConfig("sender.properties", SenderConfig());
        await using (var sender = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config, "--shutdown-grace", "20"))
        {
            await HoldLastBatchInFlightAsync(sender, collector);
            sender.Signal(AgentProcess.SigTerm);
            // Still waiting for the frozen collector; it answers a moment later.
            Assert.False(await ExitsWithinAsync(sender, TimeSpan.FromSeconds(2)));
            collector.Signal(AgentProcess.SigCont);
            Assert.Equal(0, await sender.WaitForExitAsync());
        }
        await Poll.UntilAsync(() => Task.FromResult(Delivered().Count == Events), "the collector to write every event");

        await using (var successor = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            await successor.WaitForOutputAsync(new Regex("File channel c1 recovered 0 events"), "the channel to recover nothing");
            await Task.Delay(TimeSpan.FromSeconds(2)); // a redelivery, if any, would arrive by now
            Assert.Equal(0, await successor.CounterAsync("SINK.k1", "EventDrainSuccessCount"));
        }
        Assert.Equal(Events, Delivered().Count);
        Assert.Equal(Events, Delivered().Distinct().Count());
    }

    [Fact]
    public async Task Sigkill_WithABatchInFlight_TheNextRunSendsThatBatchAgain_NothingLost()
    {
        await using var collector = await AvroCollector.StartAsync(_work.Root, _collectorPort, Output);
        var config = _work.WriteConfig("sender.properties", SenderConfig());
        await using (var sender = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            await HoldLastBatchInFlightAsync(sender, collector);
            sender.Signal(AgentProcess.SigKill);
            await sender.WaitForExitAsync();
        }
        collector.Signal(AgentProcess.SigCont);

        await using (var successor = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config))
        {
            await successor.WaitForOutputAsync(new Regex($"File channel c1 recovered {Batch} events"), "the channel to recover the batch in flight");
            await Poll.UntilAsync(async () => await successor.CounterAsync("SINK.k1", "EventDrainSuccessCount") == Batch, "the batch to be sent again");
        }
        await Poll.UntilAsync(() => Task.FromResult(Delivered().Count == Events + Batch), "the collector to write the batch twice");
        Assert.Equal(Events, Delivered().Distinct().Count());
    }

    private string Output => _work.PathOf("out");

    private List<long> Delivered() => Directory.Exists(Output) ? _work.ReadNumbers("out") : [];

    // Delivers all but the last batch, freezes the collector, then lets the sender take and send the
    // last batch: it is in flight once the channel is empty but its take not yet committed.
    private async Task HoldLastBatchInFlightAsync(AgentProcess sender, AgentProcess collector)
    {
        for (var first = 0; first < Events - Batch; first += Batch)
        {
            Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, first, Batch));
        }
        await Poll.UntilAsync(async () => await sender.CounterAsync("CHANNEL.c1", "EventTakeSuccessCount") == Events - Batch, "the first batches to be delivered");
        await collector.FreezeAsync();
        Assert.Equal(HttpStatusCode.OK, await Loopback.PostEventsAsync(_httpPort, Events - Batch, Batch));
        await Poll.UntilAsync(async () => await sender.CounterAsync("CHANNEL.c1", "ChannelSize") == 0, "the last batch to be taken");
        Assert.Equal(Events - Batch, await sender.CounterAsync("CHANNEL.c1", "EventTakeSuccessCount"));
    }

    private static async Task<bool> ExitsWithinAsync(AgentProcess agent, TimeSpan within)
    {
        try
        {
            await agent.WaitForExitAsync(within);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private string SenderConfig() => HttpAgentConfig.Of(_httpPort,
        HttpAgentConfig.FileChannel(_work.PathOf("channel/checkpoint"), _work.PathOf("channel/data")), $"""
        a1.sinks.k1.type = avro
        a1.sinks.k1.hostname = 127.0.0.1
        a1.sinks.k1.port = {_collectorPort}
        a1.sinks.k1.batch-size = {Batch}
        """);
}
