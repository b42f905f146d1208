using Xunit.Abstractions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// Two real processes: a sender whose hop sink sends batches of 1000 events to a collector whose
/// channel takes at most 100 per transaction. The collector commits each batch in parts and
/// acknowledges it once all are in; every event arrives, exactly once (the collector's channel has
/// room for all of them, so nothing is refused and nothing is resent).
/// </summary>
public sealed class OversizedBatchHopTests(ITestOutputHelper output) : IDisposable
{
    private const int Events = 20_000;
    private const int SenderBatch = 1000;
    private const int CollectorTransaction = 100;
    private readonly WorkDirectory _work = new("flumek8s-oversized-batch-");

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("grpc")]
    [InlineData("avro")]
    public async Task BatchLargerThanCollectorTransactionCapacity_EveryEventArrivesOnce(string hop)
    {
        var port = Loopback.FreePort();
        var collectorConfig = _work.WriteConfig("collector.properties", CollectorConfig(hop, port));
        var senderConfig = _work.WriteConfig("sender.properties", SenderConfig(hop, port));

        await using var collector = await AgentProcess.StartReadyAsync("-n", "collector", "-f", collectorConfig);
        await using var sender = await AgentProcess.StartReadyAsync("-n", "sender", "-f", senderConfig);
        await Poll.UntilAsync(async () => await sender.CounterAsync("SINK.k1", "EventDrainSuccessCount") == Events, $"the sender to deliver {Events} events over {hop}");
        await Poll.UntilAsync(async () => await collector.CounterAsync("SINK.k1", "EventDrainSuccessCount") == Events, "the collector to write them out");

        var batches = await collector.CounterAsync("SOURCE.r1", "AppendBatchAcceptedCount");
        Assert.Equal(Events, await collector.CounterAsync("SOURCE.r1", "EventAcceptedCount"));
        Assert.Equal(0, await collector.CounterAsync("SOURCE.r1", "ChannelWriteFail"));
        // On average above the collector's transactionCapacity: batches really were committed in parts.
        Assert.True(batches < Events / CollectorTransaction, $"{batches} batches for {Events} events");
        Assert.Equal(0, await sender.CounterAsync("SINK.k1", "EventWriteFail"));

        sender.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await sender.WaitForExitAsync());
        collector.Signal(AgentProcess.SigTerm);
        Assert.Equal(0, await collector.WaitForExitAsync());

        var delivered = _work.ReadNumbers("out");
        output.WriteLine($"{hop}: {Events} events sent in {batches} batches; {delivered.Count} delivered");
        Assert.Equal(Events, delivered.Count);
        Assert.Equal(Enumerable.Range(0, Events).Select(i => (long)i), delivered.Order());
    }

    private string CollectorConfig(string hop, int port) => $"""
        collector.sources = r1
        collector.channels = c1
        collector.sinks = k1
        collector.sources.r1.type = {hop}
        collector.sources.r1.bind = 127.0.0.1
        collector.sources.r1.port = {port}
        collector.sources.r1.channels = c1
        collector.channels.c1.type = memory
        collector.channels.c1.capacity = {Events}
        collector.channels.c1.transactionCapacity = {CollectorTransaction}
        collector.sinks.k1.type = file_roll
        collector.sinks.k1.channel = c1
        collector.sinks.k1.sink.directory = {_work.PathOf("out")}
        collector.sinks.k1.sink.batchSize = {CollectorTransaction}
        collector.sinks.k1.sink.rollInterval = 0
        """;

    private static string SenderConfig(string hop, int port) => $"""
        sender.sources = r1
        sender.channels = c1
        sender.sinks = k1
        sender.sources.r1.type = seq
        sender.sources.r1.batchSize = {SenderBatch}
        sender.sources.r1.totalEvents = {Events}
        sender.sources.r1.channels = c1
        sender.channels.c1.type = memory
        sender.channels.c1.capacity = {Events}
        sender.channels.c1.transactionCapacity = {SenderBatch}
        sender.sinks.k1.type = {hop}
        {(hop == "grpc" ? $"sender.sinks.k1.hosts = 127.0.0.1:{port}" : $"sender.sinks.k1.hostname = 127.0.0.1\nsender.sinks.k1.port = {port}")}
        sender.sinks.k1.batch-size = {SenderBatch}
        sender.sinks.k1.channel = c1
        """;
}
