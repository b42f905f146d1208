using System.Diagnostics;
using System.Globalization;

namespace FlumeK8s.Bench;

/// <summary>
/// Two agents over loopback: a sender (seq → memory or file → one or more hop sinks) and a
/// collector (hop source → memory or file → null). Measures end-to-end events/s at the collector's
/// sink from its first drained events to the last (start-up excluded) and the CPU seconds each
/// process spent per million events over the same span.
/// </summary>
internal static class HopBench
{
    private const string Drained = "flume_sink_event_drain_success_count{component=\"k1\",type=\"null\"}";

    /// <summary>The hops side by side at batch 1000, 10 M events each.</summary>
    private static readonly HopScenario[] Hops =
    [
        new("grpc", 1000, CollectorChannel: "memory"),
        new("grpc", 1000, CollectorChannel: "file"),
        new("grpc", 1000, InFlight: 1, CollectorChannel: "memory"),
        new("grpc", 1000, InFlight: 1, CollectorChannel: "file"),
        new("avro", 1000, CollectorChannel: "memory"),
        new("avro", 1000, CollectorChannel: "file"),
    ];

    /// <summary>
    /// The Meituan agent tier's hop (file channel → grpc+gzip at batch 500 → a collector's file
    /// channel) and one change at a time from it; 1 M events with a timestamp and a node header each.
    /// </summary>
    private static readonly HopScenario[] Variants =
    [
        .. new[] { "gzip", "none", "gzip:6" }.Select(c => Tier(c)),
        Tier("gzip") with { Batch = 1000 },
        Tier("gzip") with { InFlight = 1 },
        Tier("gzip") with { InFlight = 4 },
        Tier("gzip") with { Sinks = 2 },
        Tier("gzip") with { Sinks = 2, InFlight = 4 },
        Tier("gzip") with { CollectorChannel = "memory" },
        Tier("none") with { CollectorChannel = "memory" },
    ];

    private static HopScenario Tier(string compression) =>
        new("grpc", 500, compression, SenderChannel: "file", CollectorChannel: "file", Events: 1_000_000, Headers: true);

    public static async Task RunAsync(int runs, int bodySize, string? only)
    {
        // "hop" runs both tables, "tier hop" the variants only, anything else the rows whose name holds it.
        List<HopScenario> Selected(HopScenario[] table, string tableName) =>
            [.. table.Where(s => only is null || only == "hop" || only == tableName || s.Name.Contains(only, StringComparison.Ordinal))];
        await RunTableAsync(Selected(Hops, "hops"), runs, bodySize,
            $"Agent → collector over loopback, batch 1000, {bodySize}-byte bodies, 10,000,000 events, median of {runs}:");
        await RunTableAsync(Selected(Variants, "tier hop"), runs, bodySize,
            $"The agent tier's hop and one change at a time, {bodySize}-byte bodies with 2 headers, 1,000,000 events, runs interleaved, median of {runs}:");
    }

    /// <summary>Runs round by round (every scenario once, then again), so a burst of load on the shared machine falls on all of them alike.</summary>
    private static async Task RunTableAsync(List<HopScenario> scenarios, int runs, int bodySize, string caption)
    {
        if (scenarios.Count == 0)
        {
            return;
        }
        var results = scenarios.ToDictionary(s => s, _ => new List<(double Rate, double SenderCpu, double CollectorCpu)>());
        for (var i = 0; i < runs; i++)
        {
            foreach (var scenario in scenarios)
            {
                var result = await MeasureAsync(scenario, bodySize);
                results[scenario].Add(result);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{scenario.Name}: {result.Rate:N0} events/s, sender {result.SenderCpu:N2}, collector {result.CollectorCpu:N2} CPU s/M"));
            }
        }
        Console.WriteLine();
        Console.WriteLine(caption);
        Console.WriteLine();
        Console.WriteLine("| hop | events/s end to end | sender CPU s per M events | collector CPU s per M events | runs (events/s) |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var scenario in scenarios)
        {
            var runsOf = results[scenario];
            var median = runsOf.OrderBy(r => r.Rate).ElementAt(runsOf.Count / 2);
            var all = string.Join(", ", runsOf.Select(r => (r.Rate / 1000).ToString("N0", CultureInfo.InvariantCulture) + " k"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenario.Name} | {median.Rate:N0} | {median.SenderCpu:N2} | {median.CollectorCpu:N2} | {all} |"));
        }
    }

    private static async Task<(double Rate, double SenderCpu, double CollectorCpu)> MeasureAsync(HopScenario scenario, int bodySize)
    {
        var scratch = Directory.CreateTempSubdirectory("flumek8s-hop-").FullName;
        try
        {
            var port = Scenarios.FreePort();
            await using var collector = await AgentUnderTest.StartAsync($"""
                a1.sources = r1
                a1.channels = c1
                a1.sinks = k1
                a1.sources.r1.type = {scenario.Hop}
                a1.sources.r1.bind = 127.0.0.1
                a1.sources.r1.port = {port}
                a1.sources.r1.channels = c1
                {Channel(scenario.CollectorChannel, Path.Combine(scratch, "collector"), scenario.Batch)}
                a1.sinks.k1.type = null
                a1.sinks.k1.batchSize = {scenario.Batch}
                a1.sinks.k1.logEveryNEvents = 0
                a1.sinks.k1.channel = c1
                """);
            var sinks = Enumerable.Range(1, scenario.Sinks).Select(i => $"k{i}").ToList();
            await using var sender = await AgentUnderTest.StartAsync($"""
                a1.sources = r1
                a1.channels = c1
                a1.sinks = {string.Join(' ', sinks)}
                a1.sources.r1.type = seq
                a1.sources.r1.batchSize = {scenario.Batch}
                a1.sources.r1.totalEvents = {scenario.Events}
                a1.sources.r1.bodySize = {bodySize}
                a1.sources.r1.channels = c1
                {(scenario.Headers ? Headers : "")}
                {Channel(scenario.SenderChannel, Path.Combine(scratch, "sender"), scenario.Batch)}
                {string.Join('\n', sinks.Select(s => scenario.SinkConfig(s, port)))}
                """);
            // Measured from the first events the collector drained to the last, so neither agent's
            // start-up (JIT, connecting) is counted, on the clock or in the CPU.
            double first;
            while ((first = await collector.SampleAsync(Drained)) == 0)
            {
                await Task.Delay(5);
            }
            var (senderCpu0, collectorCpu0) = (sender.CpuSeconds(), collector.CpuSeconds());
            var clock = Stopwatch.StartNew();
            while (await collector.SampleAsync(Drained) < scenario.Events)
            {
                await Task.Delay(20);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var millions = (scenario.Events - first) / 1_000_000.0;
            return ((scenario.Events - first) / seconds, (sender.CpuSeconds() - senderCpu0) / millions, (collector.CpuSeconds() - collectorCpu0) / millions);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>What the agent tier's interceptors add to every event: its time and its node.</summary>
    private const string Headers = """
        a1.sources.r1.interceptors = time node
        a1.sources.r1.interceptors.time.type = timestamp
        a1.sources.r1.interceptors.node.type = static
        a1.sources.r1.interceptors.node.key = node
        a1.sources.r1.interceptors.node.value = node-1
        """;

    private static string Channel(string kind, string dir, int batch) =>
        kind == "file" ? Scenarios.FileChannel(dir, batch) : Scenarios.MemoryChannel(batch);
}
