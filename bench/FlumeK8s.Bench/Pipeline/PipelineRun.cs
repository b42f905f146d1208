using System.Diagnostics;
using System.Globalization;
using FlumeK8s.Operator.Local;

namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// One run of a tiers file as real agent processes on loopback, with <c>local up</c>'s planner (the
/// operator's renderer, the work folder's layout) and its process set (started downstream first, stopped
/// sources first): N numbered lines are written into the tailing tiers' files, every process's metrics
/// are read four times a second, and the run ends when the last tiers' sinks have drained N events.
/// Then the tiers are stopped (they drain) and every output file is read back: every number must be
/// there, or the run fails. The work folder is deleted after a run that passed and kept after one that failed
/// once its processes had started.
/// </summary>
internal sealed class PipelineRun(PipelineOptions options)
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    public async Task<PipelineMeasurement> RunAsync(CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("flumek8s-pipeline-").FullName;
        var folder = new WorkFolder(Path.Combine(scratch, "work"));
        try
        {
            var measurement = await RunInAsync(folder, cancellationToken);
            Directory.Delete(scratch, recursive: true);
            return measurement;
        }
        catch (OperationCanceledException)
        {
            Directory.Delete(scratch, recursive: true); // Stopped: its agents are killed by now, nothing to keep.
            throw;
        }
        catch (Exception) when (!Directory.Exists(folder.Root))
        {
            Directory.Delete(scratch, recursive: true); // Refused before anything ran: nothing to keep.
            throw;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.Message}\n(the work folder, with every agent's log, is kept: {folder.Root})", e);
        }
    }

    private async Task<PipelineMeasurement> RunInAsync(WorkFolder folder, CancellationToken cancellationToken)
    {
        var plan = Plan(folder);
        var agent = AgentExecutable.Find(Path.Combine(AppContext.BaseDirectory, AgentExecutable.Name + ".dll"), out var missing)
            ?? throw new InvalidOperationException(missing);
        using var tiers = new LocalTierProcesses(plan, agent, TimeProvider.System);
        tiers.Prepare();
        if (await tiers.StartAllAsync(_ => Task.CompletedTask, cancellationToken) is { } failure)
        {
            throw new InvalidOperationException(failure);
        }
        var watched = PipelineTier.Of(tiers);
        var sampler = new PipelineSampler(watched);
        var generator = new LogGenerator(plan.InputFiles.ToList(), options.Rate, options.Events, TimeProvider.System, options.LineBytes);
        using var harness = Process.GetCurrentProcess();
        var cpuBefore = watched.Select(t => t.CpuSeconds()).ToList();
        var harnessBefore = harness.TotalProcessorTime;
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(() => generator.RunAsync(stopWriting.Token), CancellationToken.None);
        var timeline = new List<PipelineSample>();
        List<double> cpuAfter;
        try
        {
            cpuAfter = await UntilDeliveredAsync(tiers, watched, sampler, generator, writer, clock, timeline, cancellationToken);
        }
        catch
        {
            await stopWriting.CancelAsync();
            await Task.WhenAny(writer);
            throw;
        }
        harness.Refresh();
        var harnessCpu = (harness.TotalProcessorTime - harnessBefore).TotalSeconds;
        await writer; // Done already, unless duplicates made the count early: then the last lines are on their way.

        // Readings go on while the tiers stop: a duplicate may still reach the output while they drain.
        await tiers.StopAllAsync(async _ => timeline.Add(await sampler.SampleAsync(clock.Elapsed.TotalSeconds, generator.Generated, CancellationToken.None)));
        var reader = new DeliveredEventsReader(plan.OutputDirectories);
        reader.Scan(final: true);
        var tally = DeliveryTally.Of(reader.Seqs, options.Events);
        if (tally.Lost > 0 || tally.Unexpected > 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"events lost: {tally.Lost:N0} of {tally.Expected:N0} not in the output (the first missing is seq={tally.FirstMissing}); {tally.Unexpected:N0} lines with a number outside 1..{tally.Expected:N0}; {tally.Duplicates:N0} duplicates; output read from {string.Join(", ", plan.OutputDirectories)}"));
        }
        // The last tiers' sinks count every copy they wrote, so all N distinct events were out once they
        // had counted N plus the duplicates the output holds.
        var end = timeline.FirstOrDefault(s => s.Delivered(watched) >= options.Events + tally.Duplicates) ?? timeline[^1];
        var started = generator.Started!.Value;
        return new PipelineMeasurement(
            options.Events,
            end.Seconds,
            (generator.Finished!.Value - started).TotalSeconds,
            watched.Select((t, i) => new TierCpu(t.Name, t.Processes.Count, cpuAfter[i] - cpuBefore[i])).ToList(),
            harnessCpu,
            tally.Duplicates,
            reader.Files,
            SlowestStage.Decide(watched, timeline, options.Events),
            watched,
            timeline);
    }

    /// <summary>
    /// Reads the pipeline every quarter second until the last tiers have drained every event; returns each
    /// tier's CPU time at that moment. Fails when a process or the writer fails, or the deadline passes.
    /// </summary>
    private async Task<List<double>> UntilDeliveredAsync(LocalTierProcesses tiers, IReadOnlyList<PipelineTier> watched, PipelineSampler sampler,
        LogGenerator generator, Task writer, Stopwatch clock, List<PipelineSample> timeline, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (tiers.FailureWhile("while the lines were delivered") is { } failure)
            {
                throw new InvalidOperationException(failure);
            }
            if (writer.IsFaulted)
            {
                await writer;
            }
            var sample = await sampler.SampleAsync(clock.Elapsed.TotalSeconds, generator.Generated, cancellationToken);
            timeline.Add(sample);
            // Counted copies can reach N while lines are still on their way (duplicates count too):
            // done only once every line was read and every channel is empty as well.
            if (sample.Delivered(watched) >= options.Events && sample.Unread(watched) <= 0 && sample.Tiers.All(t => t.Channel == 0))
            {
                return watched.Select(t => t.CpuSeconds()).ToList();
            }
            if (clock.Elapsed > options.Deadline)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"{sample.Delivered(watched):N0} of {options.Events:N0} events delivered after {options.Deadline.TotalSeconds:N0} s (--deadline); {generator.Generated:N0} lines written"));
            }
        }
        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>The file's processes planned into a fresh work folder; every reason it cannot run as a pipeline at once.</summary>
    private LocalPlan Plan(WorkFolder folder)
    {
        var plan = LocalPlanner.PlanFile(File.ReadAllText(options.File), folder, options.Nodes, new LocalPorts().Next, out var invalid);
        var problems = invalid.Concat(plan?.Problems ?? []).ToList();
        if (plan is not null && !plan.InputFiles.Any())
        {
            problems.Add("no AgentTier tails a file (a taildir source): there is nothing to write the lines into");
        }
        if (plan is not null && plan.OutputDirectories.Count == 0)
        {
            problems.Add("the last tier writes to no volume: there is no output to count the events in");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{options.File} cannot run as a pipeline:\n  {string.Join("\n  ", problems)}");
        }
        if (folder.Prepare() is { } unusable)
        {
            throw new InvalidOperationException(unusable);
        }
        return plan!;
    }
}
