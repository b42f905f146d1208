using System.Globalization;
using System.Runtime.InteropServices;

namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// The whole pipeline of a tiers file on this machine (by default the Meituan example: taildir → file →
/// grpc+gzip → 2 collectors → grpc+gzip → 2 stores → hdfs), run several times: prints the median run's
/// end-to-end and sustained rates, each tier's CPU per million events, the stages over the middle of the
/// run with the one that set the rate, and the run's backlogs over time.
/// </summary>
internal static class PipelineBench
{
    public static async Task RunAsync(int runs, PipelineOptions options)
    {
        // The agents run in their own sessions, so a Ctrl+C does not reach them: it cancels the run
        // instead, and the run's process set kills them on the way out.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var measured = new List<PipelineMeasurement>();
        for (var i = 0; i < runs; i++)
        {
            PipelineMeasurement run;
            try
            {
                run = await new PipelineRun(options).RunAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("pipeline: stopped; its agents were killed");
                return;
            }
            measured.Add(run);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pipeline run {i + 1}: {run.EventsPerSecond:N0} events/s end to end, {run.Stages.DeliveredPerSecond:N0} sustained, every event delivered, {run.Duplicates:N0} duplicates, limiting stage: {run.Stages.Limiting}"));
        }
        var median = measured.OrderBy(m => m.EventsPerSecond).ElementAt(measured.Count / 2);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pipeline {Shown(options.File)}: {options.Events:N0} lines of {options.LineBytes} bytes written {options.RateText}, {options.Nodes} node(s); median of {runs} runs by end-to-end rate; {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        Console.WriteLine();
        PrintSummary(median, measured);
        PrintStages(median);
        PrintTimeline(median);
    }

    private static void PrintSummary(PipelineMeasurement median, IReadOnlyList<PipelineMeasurement> all)
    {
        Console.WriteLine("| events/s end to end | events/s sustained (25–75 %) | lines written in s | duplicates | output files | limiting stage |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {median.EventsPerSecond:N0} | {median.Stages.DeliveredPerSecond:N0} | {median.WriteSeconds:N1} | {median.Duplicates:N0} | {median.OutputFiles} | {median.Stages.Limiting} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Runs (events/s end to end; sustained): {string.Join(", ", all.Select(m => $"{m.EventsPerSecond:N0}; {m.Stages.DeliveredPerSecond:N0}"))}"));
        Console.WriteLine();
        Console.WriteLine("CPU of the median run (user + system from /proc, from the first line written to the last event delivered):");
        Console.WriteLine();
        Console.WriteLine("| tier | processes | CPU s per M events | cores busy on average |");
        Console.WriteLine("|---|---:|---:|---:|");
        void Row(string name, string processes, double seconds) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {processes} | {PipelineMeasurement.PerMillion(seconds, median.Events):N2} | {seconds / median.Seconds:N2} |"));
        foreach (var tier in median.Cpu)
        {
            Row(tier.Tier, tier.Processes.ToString(CultureInfo.InvariantCulture), tier.Seconds);
        }
        var tiers = median.Cpu.Sum(c => c.Seconds);
        Row("all tiers", median.Cpu.Sum(c => c.Processes).ToString(CultureInfo.InvariantCulture), tiers);
        Row("the benchmark (writer, readings)", "1", median.HarnessCpuSeconds);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"At {PipelineMeasurement.PerMillion(tiers, median.Events):N2} CPU s per M events, {Environment.ProcessorCount} cores doing nothing else could move at most {median.Events / tiers * Environment.ProcessorCount:N0} events/s through these tiers."));
        Console.WriteLine();
    }

    private static void PrintStages(PipelineMeasurement median)
    {
        var report = median.Stages;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Stages of the median run from {report.From:N1} s to {report.To:N1} s (a quarter to three quarters of the events delivered), in flow order:"));
        Console.WriteLine();
        Console.WriteLine("| stage | drains | events/s | backlog at start → end (lowest) | fill at end | work waiting all the time |");
        Console.WriteLine("|---|---|---:|---:|---:|---|");
        foreach (var stage in report.Stages)
        {
            var fill = stage.Fill is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f:N1} %") : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {stage.Stage} | {stage.Queue} | {stage.Rate:N0} | {stage.BacklogStart:N0} → {stage.BacklogEnd:N0} ({stage.BacklogMin:N0}) | {fill} | {(stage.Saturated ? "yes" : "no")} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"Limiting stage: {report.Limiting}: {report.Why}.");
        Console.WriteLine();
    }

    /// <summary>About a dozen readings of the median run, evenly spread in time: where the events were.</summary>
    private static void PrintTimeline(PipelineMeasurement median)
    {
        Console.WriteLine("Where the events were in the median run (seconds since the first line was written):");
        Console.WriteLine();
        Console.WriteLine($"| s | written | not yet read |{string.Concat(median.Tiers.Select(t => $" in {t.Name} channels |"))} delivered |");
        Console.WriteLine($"|---:|---:|---:|{string.Concat(median.Tiers.Select(_ => "---:|"))}---:|");
        var step = Math.Max(median.Seconds / 12, 0.25);
        var next = 0.0;
        foreach (var sample in median.Timeline.Where(s => s.Seconds <= median.Seconds + 0.01))
        {
            if (sample.Seconds < next && sample.Seconds < median.Seconds)
            {
                continue;
            }
            next = sample.Seconds + step;
            var channels = string.Concat(sample.Tiers.Select(t => string.Create(CultureInfo.InvariantCulture, $" {t.Channel:N0} |")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {sample.Seconds:N1} | {sample.Written:N0} | {sample.Unread(median.Tiers):N0} |{channels} {sample.Delivered(median.Tiers):N0} |"));
        }
        Console.WriteLine();
    }

    private static string Shown(string file)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);
        return relative.StartsWith("..", StringComparison.Ordinal) ? file : relative;
    }
}
