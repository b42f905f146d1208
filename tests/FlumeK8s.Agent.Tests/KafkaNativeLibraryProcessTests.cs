namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The agent process's Kafka client runs on the librdkafka that librdkafka.redist put in the agent's
/// own folder, not on a system librdkafka (Debian's librdkafka1 may be installed for kcat): the
/// kernel's list of the process's mapped files says which one it loaded.
/// </summary>
public sealed class KafkaNativeLibraryProcessTests : IDisposable
{
    private readonly WorkDirectory _work = new("flumek8s-kafka-native-");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task KafkaSink_OnTheMockCluster_MapsTheRedistsLibraryFromTheAgentsFolder()
    {
        // The sink's own producer hosts librdkafka's mock cluster: three brokers on loopback ports.
        var config = _work.WriteConfig("kafka.properties", """
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = seq
            a1.sources.r1.channels = c1
            a1.sources.r1.totalEvents = 100
            a1.channels.c1.type = memory
            a1.sinks.k1.type = kafka
            a1.sinks.k1.channel = c1
            a1.sinks.k1.kafka.bootstrap.servers = mock
            a1.sinks.k1.kafka.producer.test.mock.num.brokers = 3
            a1.sinks.k1.kafka.topic = native
            """);
        await using var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
        await Poll.UntilAsync(async () => await agent.CounterAsync("SINK.k1", "EventDrainSuccessCount") == 100, "the sink to deliver 100 events");

        var mapped = File.ReadLines($"/proc/{agent.Pid}/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && Path.GetFileName(fields[5]).Contains("librdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5].Trim())
            .Distinct()
            .ToList();

        var library = Assert.Single(mapped);
        Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "runtimes"), library, StringComparison.Ordinal);
    }
}
