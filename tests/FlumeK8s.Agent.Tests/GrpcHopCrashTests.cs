using Xunit.Abstractions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// Three real processes: an agent load-balancing over gRPC to two collectors with file channels.
/// One collector is killed with SIGKILL mid-stream and restarted later; every event must reach the
/// collectors' sinks (duplicates allowed, and counted), with one batch in flight and with several.
/// </summary>
public sealed class GrpcHopCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Events = 200_000;
    private readonly WorkDirectory _work = new("flumek8s-hop-crash-");

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task CollectorKilledMidStream_EveryEventArrives(int batchesInFlight)
    {
        var ports = new[] { Loopback.FreePort(), Loopback.FreePort() };
        var collectorConfigs = ports.Select((port, i) => _work.WriteConfig($"collector{i}.properties", CollectorConfig(i, port))).ToArray();
        var agentConfig = _work.WriteConfig("agent.properties", AgentConfig(ports, batchesInFlight));

        var collectors = new AgentProcess?[2];
        collectors[0] = await AgentProcess.StartReadyAsync("-n", "collector", "-f", collectorConfigs[0]);
        collectors[1] = await AgentProcess.StartReadyAsync("-n", "collector", "-f", collectorConfigs[1]);
        await using var agent = await AgentProcess.StartReadyAsync("-n", "agent", "-f", agentConfig);
        try
        {
            // Kill collector 0 once it has received part of the stream.
            await Poll.UntilAsync(async () => await collectors[0]!.CounterAsync("SOURCE.r1", "EventAcceptedCount") > 20_000, "collector 0 receiving");
            collectors[0]!.Signal(AgentProcess.SigKill);
            await collectors[0]!.WaitForExitAsync();
            await collectors[0]!.DisposeAsync();
            collectors[0] = null;

            // The agent keeps delivering through collector 1 meanwhile.
            var before = await collectors[1]!.CounterAsync("SOURCE.r1", "EventAcceptedCount");
            await Poll.UntilAsync(async () => await collectors[1]!.CounterAsync("SOURCE.r1", "EventAcceptedCount") > before + 10_000, "collector 1 taking the load");

            collectors[0] = await AgentProcess.StartReadyAsync("-n", "collector", "-f", collectorConfigs[0]);
            // Drained = acknowledged by a collector, i.e. committed in its file channel.
            await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount") >= Events, "the agent to deliver everything");
            foreach (var collector in collectors)
            {
                await Poll.UntilAsync(async () => await collector!.CounterAsync("CHANNEL.c1", "ChannelSize") == 0, "a collector to drain");
                collector!.Signal(AgentProcess.SigTerm);
                Assert.Equal(0, await collector.WaitForExitAsync());
            }
        }
        finally
        {
            foreach (var collector in collectors)
            {
                if (collector is not null)
                {
                    await collector.DisposeAsync();
                }
            }
        }

        var delivered = _work.ReadNumbers("out0", "out1");
        var distinct = delivered.ToHashSet();
        output.WriteLine($"{Events} events sent; {delivered.Count} delivered, {distinct.Count} distinct, {delivered.Count - distinct.Count} duplicates");
        Assert.Equal(Events, distinct.Count);
        Assert.Equal(Events - 1, distinct.Max());
    }

    private string CollectorConfig(int index, int port) => $"""
        collector.sources = r1
        collector.channels = c1
        collector.sinks = k1
        collector.sources.r1.type = grpc
        collector.sources.r1.bind = 127.0.0.1
        collector.sources.r1.port = {port}
        collector.sources.r1.channels = c1
        collector.channels.c1.type = file
        collector.channels.c1.checkpointDir = {_work.PathOf($"checkpoint{index}")}
        collector.channels.c1.dataDirs = {_work.PathOf($"data{index}")}
        collector.channels.c1.capacity = 1000000
        collector.channels.c1.transactionCapacity = 1000
        collector.channels.c1.minimumRequiredSpace = 0
        collector.sinks.k1.type = file_roll
        collector.sinks.k1.channel = c1
        collector.sinks.k1.sink.directory = {_work.PathOf($"out{index}")}
        collector.sinks.k1.sink.batchSize = 500
        collector.sinks.k1.sink.rollInterval = 0
        """;

    private static string AgentConfig(int[] ports, int batchesInFlight) => $"""
        agent.sources = r1
        agent.channels = c1
        agent.sinks = k1
        agent.sources.r1.type = seq
        agent.sources.r1.batchSize = 500
        agent.sources.r1.totalEvents = {Events}
        agent.sources.r1.channels = c1
        agent.channels.c1.type = memory
        agent.channels.c1.capacity = 100000
        agent.channels.c1.transactionCapacity = 1000
        agent.sinks.k1.type = grpc
        agent.sinks.k1.hosts = 127.0.0.1:{ports[0]} 127.0.0.1:{ports[1]}
        agent.sinks.k1.batch-size = 500
        agent.sinks.k1.request-timeout = 5000
        agent.sinks.k1.maxBackoff = 2000
        agent.sinks.k1.batches-in-flight = {batchesInFlight}
        agent.sinks.k1.channel = c1
        """;
}
