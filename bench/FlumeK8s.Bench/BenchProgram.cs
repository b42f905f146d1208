using System.Diagnostics;
using System.Globalization;
using FlumeK8s.Bench.Pipeline;

namespace FlumeK8s.Bench;

/// <summary>
/// Runs each scenario against a fresh agent process a few times and prints the medians:
/// events/s, MB/s of bodies, bytes allocated per event (agent process, event included) and peak RSS.
/// </summary>
internal static class BenchProgram
{
    private const int BodySize = 200;

    private static string Label(Scenario scenario) => $"{scenario.Name} batch {scenario.BatchSize}";

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var only = args.Length > 1 ? args[1] : null;
        var results = new List<Measurement>();
        // Matched against the name as printed with its batch, so "file → null batch 1000" picks one row.
        foreach (var scenario in Scenarios.All(BodySize).Where(s => only is null || Label(s).Contains(only, StringComparison.Ordinal)))
        {
            var measured = new List<Measurement>();
            for (var i = 0; i < runs; i++)
            {
                measured.Add(await MeasureAsync(scenario));
            }
            var median = measured.OrderBy(m => m.EventsPerSecond).ElementAt(measured.Count / 2);
            results.Add(median);
            Console.Error.WriteLine($"{Label(scenario)}: {string.Join(", ", measured.Select(m => m.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} events/s");
        }
        if (results.Count > 0)
        {
            Print(results, runs);
        }
        if (only is null || "replay".Contains(only, StringComparison.Ordinal))
        {
            await ReplayBench.RunAsync(runs, BodySize);
        }
        if (only is null || "scrape".Contains(only, StringComparison.Ordinal))
        {
            await ScrapeBench.RunAsync(runs);
        }
        if (only is null || "avro codec".Contains(only, StringComparison.Ordinal))
        {
            AvroCodecBench.Run(runs, BodySize);
        }
        if (only is null || "hop compression".Contains(only, StringComparison.Ordinal))
        {
            HopCompressionBench.Run(runs);
        }
        await HopBench.RunAsync(runs, BodySize, only);
        if (only is null || "pipeline".Contains(only, StringComparison.Ordinal))
        {
            PipelineOptions options;
            try
            {
                options = PipelineOptions.Parse(args.Skip(2).ToList());
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"flumek8s-bench: {e.Message}");
                return 64;
            }
            try
            {
                await PipelineBench.RunAsync(runs, options);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"flumek8s-bench: the pipeline run failed: {e.Message}");
                return 1;
            }
        }
        return 0;
    }

    private static async Task<Measurement> MeasureAsync(Scenario scenario)
    {
        var scratch = Directory.CreateTempSubdirectory("flumek8s-bench-").FullName;
        try
        {
            return await MeasureInAsync(scenario, scratch);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<Measurement> MeasureInAsync(Scenario scenario, string scratch)
    {
        await using var agent = await AgentUnderTest.StartAsync(scenario.Config(scratch));
        using var stop = new CancellationTokenSource();
        var load = scenario.Load?.Invoke(scenario.BatchSize, scenario.Events, BodySize, stop.Token) ?? Task.CompletedTask;
        var drained = scenario.Watched ?? $"flume_sink_event_drain_success_count{{component=\"k1\",type=\"{scenario.SinkType}\"}}";
        const string allocated = "dotnet_gc_allocated_bytes_total";
        const string fsyncs = "flume_channel_fsync_count{component=\"c1\",type=\"file\"}";

        // Measure from the first drained events to the last, so start-up is not counted.
        double startCount;
        while ((startCount = await agent.SampleAsync(drained)) == 0)
        {
            await Task.Delay(5);
        }
        var startAllocated = await agent.SampleAsync(allocated);
        var startFsyncs = await agent.SampleAsync(fsyncs);
        var startCpu = agent.CpuSeconds();
        var clock = Stopwatch.StartNew();
        double count;
        while ((count = await agent.SampleAsync(drained)) < scenario.Events)
        {
            await Task.Delay(20);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var endAllocated = await agent.SampleAsync(allocated);
        var endFsyncs = await agent.SampleAsync(fsyncs);
        var cpu = agent.CpuSeconds() - startCpu;
        await stop.CancelAsync();
        await load;
        var events = (long)(count - startCount);
        return new Measurement(scenario.Name, scenario.BatchSize, events, seconds, (long)(endAllocated - startAllocated), agent.PeakRssBytes(), BodySize, (long)(endFsyncs - startFsyncs), cpu);
    }

    private static void Print(IReadOnlyList<Measurement> results, int runs)
    {
        Console.WriteLine($"FlumeK8s agent benchmark: {BodySize}-byte bodies, median of {runs} runs, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| scenario | batch | events/s | MB/s | bytes allocated/event | peak RSS MB | fsyncs/s | CPU s/M events |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Scenario} | {m.BatchSize} | {m.EventsPerSecond:N0} | {m.MegabytesPerSecond:N1} | {m.BytesAllocatedPerEvent:N0} | {m.PeakRssBytes / 1048576.0:N0} | {m.FsyncsPerSecond:N0} | {m.CpuSecondsPerMillionEvents:N2} |"));
        }
    }
}
