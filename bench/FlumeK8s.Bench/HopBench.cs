using System.Diagnostics;
using System.Globalization;

namespace FlumeK8s.Bench;

/// <summary>
/// Two agents over loopback: a sender (seq → memory → hop sink) and a collector (hop source →
/// memory or file → null). Measures end-to-end events/s at the collector's sink and the CPU seconds
/// each process spent per million events.
/// </summary>
internal static class HopBench
{
    private const int Batch = 1000;
    private const long Events = 10_000_000;
    private const string Drained = "flume_sink_event_drain_success_count{component=\"k1\",type=\"null\"}";

    public static async Task RunAsync(int runs, int bodySize, string? only)
    {
        var rows = new List<string>();
        // The grpc sink's default against one batch in flight, the way every sink worked before.
        (string Label, string Hop, string SinkExtra)[] hops =
        [
            ("grpc hop", "grpc", ""),
            ("grpc hop (1 batch in flight)", "grpc", "a1.sinks.k1.batches-in-flight = 1"),
            ("avro hop", "avro", ""),
        ];
        foreach (var (label, hop, sinkExtra) in hops)
        {
            foreach (var channel in new[] { "memory", "file" })
            {
                var name = $"{label}, collector {channel} channel";
                if (only is not null && !name.Contains(only, StringComparison.Ordinal) && only != "hop")
                {
                    continue;
                }
                var results = new List<(double Rate, double SenderCpu, double CollectorCpu)>();
                for (var i = 0; i < runs; i++)
                {
                    results.Add(await MeasureAsync(hop, sinkExtra, channel, bodySize));
                }
                var median = results.OrderBy(r => r.Rate).ElementAt(results.Count / 2);
                Console.Error.WriteLine($"{name}: {string.Join(", ", results.Select(r => r.Rate.ToString("N0", CultureInfo.InvariantCulture)))} events/s");
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {median.Rate:N0} | {median.SenderCpu:N2} | {median.CollectorCpu:N2} |"));
            }
        }
        if (rows.Count == 0)
        {
            return;
        }
        Console.WriteLine();
        Console.WriteLine($"Agent → collector over loopback, batch {Batch}, {bodySize}-byte bodies, {Events:N0} events, median of {runs}:");
        Console.WriteLine();
        Console.WriteLine("| hop | events/s end to end | sender CPU s per M events | collector CPU s per M events |");
        Console.WriteLine("|---|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
    }

    private static async Task<(double, double, double)> MeasureAsync(string hop, string sinkExtra, string channel, int bodySize)
    {
        var scratch = Directory.CreateTempSubdirectory("flumek8s-hop-").FullName;
        try
        {
            var port = Scenarios.FreePort();
            var channelConfig = channel == "file" ? Scenarios.FileChannel(scratch, Batch) : Scenarios.MemoryChannel(Batch);
            await using var collector = await AgentUnderTest.StartAsync($"""
                a1.sources = r1
                a1.channels = c1
                a1.sinks = k1
                a1.sources.r1.type = {hop}
                a1.sources.r1.bind = 127.0.0.1
                a1.sources.r1.port = {port}
                a1.sources.r1.channels = c1
                {channelConfig}
                a1.sinks.k1.type = null
                a1.sinks.k1.batchSize = {Batch}
                a1.sinks.k1.logEveryNEvents = 0
                a1.sinks.k1.channel = c1
                """);
            var target = hop == "grpc" ? $"a1.sinks.k1.hosts = 127.0.0.1:{port}" : $"a1.sinks.k1.hostname = 127.0.0.1\na1.sinks.k1.port = {port}";
            var collectorCpu0 = collector.CpuSeconds();
            await using var sender = await AgentUnderTest.StartAsync($"""
                a1.sources = r1
                a1.channels = c1
                a1.sinks = k1
                a1.sources.r1.type = seq
                a1.sources.r1.batchSize = {Batch}
                a1.sources.r1.totalEvents = {Events}
                a1.sources.r1.bodySize = {bodySize}
                a1.sources.r1.channels = c1
                {Scenarios.MemoryChannel(Batch)}
                a1.sinks.k1.type = {hop}
                {target}
                a1.sinks.k1.batch-size = {Batch}
                a1.sinks.k1.channel = c1
                {sinkExtra}
                """);
            var clock = Stopwatch.StartNew();
            while (await collector.SampleAsync(Drained) < Events)
            {
                await Task.Delay(50);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var millions = Events / 1_000_000.0;
            return (Events / seconds, sender.CpuSeconds() / millions, (collector.CpuSeconds() - collectorCpu0) / millions);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
