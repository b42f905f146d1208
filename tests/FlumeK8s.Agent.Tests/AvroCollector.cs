namespace FlumeK8s.Agent.Tests;

/// <summary>A collector agent for process tests: an avro source on a loopback port, a memory channel, file_roll into a folder.</summary>
internal static class AvroCollector
{
    public static async Task<AgentProcess> StartAsync(string workDir, int port, string output)
    {
        var config = Path.Combine(workDir, "collector.properties");
        await File.WriteAllTextAsync(config, $"""
            collector.sources = r1
            collector.channels = c1
            collector.sinks = k1
            collector.sources.r1.type = avro
            collector.sources.r1.bind = 127.0.0.1
            collector.sources.r1.port = {port}
            collector.sources.r1.channels = c1
            collector.channels.c1.type = memory
            collector.channels.c1.capacity = 10000
            collector.sinks.k1.type = file_roll
            collector.sinks.k1.channel = c1
            collector.sinks.k1.sink.directory = {output}
            collector.sinks.k1.sink.rollInterval = 0
            """);
        return await AgentProcess.StartReadyAsync("-n", "collector", "-f", config);
    }
}
