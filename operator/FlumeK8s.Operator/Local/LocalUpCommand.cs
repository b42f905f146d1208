using FlumeK8s.Operator.Cli;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// <c>flumek8s local up</c>: runs the tiers of a file as local agent processes on loopback ports. Exit
/// 0 after a clean stop (with <c>--events</c>: only when every generated event was delivered); 1 when
/// events were lost or a process failed; 2 when the file is invalid (or does not fit the options);
/// 64 for a usage error.
/// </summary>
internal static class LocalUpCommand
{
    public const int ExitLost = 1;
    public const int ExitInvalid = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = LocalUpArguments.Parse(args, out var usageError);
        if (parsed is null)
        {
            await stderr.WriteLineAsync($"flumek8s local up: {usageError}\n{OperatorCommand.Usage}".AsMemory(), cancellationToken);
            return OperatorCommand.ExitUsage;
        }
        string yaml;
        try
        {
            yaml = await File.ReadAllTextAsync(parsed.File, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"flumek8s local up: cannot read {parsed.File}: {e.Message}".AsMemory(), cancellationToken);
            return ExitInvalid;
        }
        var folder = new WorkFolder(parsed.WorkDirectory);
        var plan = LocalPlanner.PlanFile(yaml, folder, parsed.Nodes, new LocalPorts().Next, out var invalid);
        var problems = invalid.Select(p => $"error: {p}").ToList();
        if (plan is not null)
        {
            problems.AddRange(plan.Problems.Select(p => $"error: {p}"));
            problems.AddRange(Fit(plan, parsed).Select(p => $"error: {p}"));
        }
        foreach (var note in plan?.Notes ?? [])
        {
            await stderr.WriteLineAsync($"note: {note}".AsMemory(), cancellationToken);
        }
        if (problems.Count > 0 || plan is null)
        {
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync(problem.AsMemory(), cancellationToken);
            }
            await stderr.WriteLineAsync($"flumek8s local up: {parsed.File} cannot run locally".AsMemory(), cancellationToken);
            return ExitInvalid;
        }
        var agent = AgentExecutable.Find(parsed.Agent, out var agentProblem);
        var prepared = agent is null ? null : folder.Prepare();
        if (agent is null || prepared is not null)
        {
            await stderr.WriteLineAsync($"flumek8s local up: {agentProblem ?? prepared}".AsMemory(), cancellationToken);
            return OperatorCommand.ExitUsage;
        }
        if (plan.InputFiles.Any())
        {
            await stderr.WriteLineAsync($"generating {(parsed.Events is { } n ? $"{n} events" : "events without end")} at {parsed.Rate}/s into {string.Join(", ", plan.InputFiles)}".AsMemory(), cancellationToken);
        }
        var run = new LocalRun(plan, parsed, agent, TimeProvider.System);
        IProgressView view = parsed.Plain || Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is { Length: > 0 }
            ? new PlainProgress(stdout, TimeProvider.System)
            : new LiveView(parsed.File);
        var outcome = await run.RunAsync(view, cancellationToken);
        if (outcome.Failure is { } failure)
        {
            await stderr.WriteLineAsync($"flumek8s local up: {failure}".AsMemory(), CancellationToken.None);
        }
        if (parsed.Events is not { } expected)
        {
            await stdout.WriteLineAsync($"stopped; the work folder {folder.Root} keeps the configurations, logs and output".AsMemory(), CancellationToken.None);
            return outcome.Failure is null ? 0 : ExitLost;
        }
        var tally = DeliveryTally.Of(run.Reader.Seqs, expected);
        await stdout.WriteAsync(RunSummary.Write(tally, run.Generator?.Generated ?? 0, run.DeliverySeconds, run.Processes.Sum(p => p.Kills),
            parsed.KillEvery, outcome, plan.OutputDirectories, run.Reader.Files).AsMemory(), CancellationToken.None);
        return tally.Lost == 0 && outcome.Failure is null ? 0 : ExitLost;
    }

    /// <summary>What the options need from the tiers.</summary>
    private static IEnumerable<string> Fit(LocalPlan plan, LocalUpArguments arguments)
    {
        if (arguments.Events is not null && !plan.InputFiles.Any())
        {
            yield return "--events needs an AgentTier with a taildir source to feed; this file has none";
        }
        if (arguments.Events is not null && plan.OutputDirectories.Count == 0)
        {
            yield return "--events counts the events in the last tier's output files, but the last tier (a StoreTier, or a tier that forwards nowhere) writes to no volume";
        }
        if (arguments.KillEvery is not null && plan.Processes.All(p => p.Tier.Kind != TierKind.CollectorTier))
        {
            yield return "--kill-every kills collectors; this file has no CollectorTier";
        }
    }
}
