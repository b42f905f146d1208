using System.Diagnostics;
using System.Globalization;

namespace FlumeK8s.Bench;

/// <summary>
/// What answering the metrics endpoints costs the agent: a fresh agent with a memory, a file and a
/// spillable channel (three sources' worth of counters, every instrument kind), scraped many times
/// in a row per path. Latency is the client's; CPU and bytes allocated are the agent's, read from
/// /proc and from its own <c>dotnet_gc_allocated_bytes_total</c>, per scrape.
/// </summary>
internal static class ScrapeBench
{
    private const int Scrapes = 1000;
    private static readonly string[] Paths = ["/metrics/prometheus", "/metrics"];

    public static async Task RunAsync(int runs)
    {
        var results = Paths.ToDictionary(p => p, _ => new List<(double Ms, double CpuMs, double Bytes, int Length)>());
        var peakRss = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var scratch = Directory.CreateTempSubdirectory("flumek8s-scrape-").FullName;
            try
            {
                await using var agent = await AgentUnderTest.StartAsync(Config(scratch));
                while (await agent.SampleAsync("flume_sink_event_drain_success_count{component=\"k3\",type=\"null\"}") < 1000)
                {
                    await Task.Delay(20);
                }
                foreach (var path in Paths)
                {
                    results[path].Add(await MeasureAsync(agent, path));
                }
                peakRss.Add(agent.PeakRssBytes() / 1048576.0);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Metrics endpoints, {Scrapes:N0} scrapes in a row per path, median of {runs} agents:");
        Console.WriteLine();
        Console.WriteLine("| path | median latency ms | agent CPU ms per scrape | agent KB allocated per scrape | response bytes |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (path, measured) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{path}` | {Median(measured.Select(m => m.Ms)):N3} | {Median(measured.Select(m => m.CpuMs)):N3} | {Median(measured.Select(m => m.Bytes)) / 1024:N1} | {Median(measured.Select(m => (double)m.Length)):N0} |"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Agent peak RSS after the scrapes: {Median(peakRss):N0} MB"));
    }

    private static async Task<(double Ms, double CpuMs, double Bytes, int Length)> MeasureAsync(AgentUnderTest agent, string path)
    {
        for (var i = 0; i < 50; i++)
        {
            await agent.GetStringAsync(path); // warm up: JIT, connection
        }
        var latencies = new List<double>(Scrapes);
        var length = 0;
        var allocatedBefore = await agent.SampleAsync("dotnet_gc_allocated_bytes_total");
        var cpuBefore = agent.CpuSeconds();
        for (var i = 0; i < Scrapes; i++)
        {
            var started = Stopwatch.GetTimestamp();
            length = (await agent.GetStringAsync(path)).Length;
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var cpu = agent.CpuSeconds() - cpuBefore;
        // The closing read is one more scrape of the Prometheus path; its share is small against 1000.
        var allocated = await agent.SampleAsync("dotnet_gc_allocated_bytes_total") - allocatedBefore;
        return (Median(latencies), cpu * 1000 / Scrapes, allocated / Scrapes, length);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Config(string scratch) => $"""
        a1.sources = r1
        a1.channels = c1 c2 c3
        a1.sinks = k1 k2 k3
        a1.sources.r1.type = seq
        a1.sources.r1.totalEvents = 1000
        a1.sources.r1.channels = c1 c2 c3
        a1.channels.c1.type = memory
        a1.channels.c2.type = file
        a1.channels.c2.checkpointDir = {scratch}/c2/checkpoint
        a1.channels.c2.dataDirs = {scratch}/c2/data
        a1.channels.c3.type = spillablememory
        a1.channels.c3.checkpointDir = {scratch}/c3/checkpoint
        a1.channels.c3.dataDirs = {scratch}/c3/data
        a1.sinks.k1.type = null
        a1.sinks.k1.channel = c1
        a1.sinks.k2.type = null
        a1.sinks.k2.channel = c2
        a1.sinks.k3.type = null
        a1.sinks.k3.channel = c3
        """;
}
