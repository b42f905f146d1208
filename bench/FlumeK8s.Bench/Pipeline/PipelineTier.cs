using FlumeK8s.Operator.Local;

namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// A tier of the pipeline as the benchmark watches it: its processes (one per pod), whether its sources
/// tail the written files, whether it is where delivered events are counted, and what drains its
/// channels (the hop to the next tier, or its own sinks).
/// </summary>
internal sealed record PipelineTier(string Name, int Stage, bool Tails, bool Last, string Drains, IReadOnlyList<LocalAgentProcess> Processes)
{
    public static IReadOnlyList<PipelineTier> Of(LocalTierProcesses tiers)
    {
        var last = tiers.Last.ToHashSet();
        return tiers.Processes
            .GroupBy(p => p.Spec.Tier)
            .Select(g =>
            {
                var tier = g.Key;
                var drains = tier.Spec.ForwardTo is { } forward
                    ? $"hop {tier.Metadata.Name} → {forward.Name}"
                    : $"{tier.Metadata.Name} sinks ({string.Join(", ", (tier.Spec.Flow.Sinks ?? []).Select(s => s.Type).Distinct())})";
                return new PipelineTier(tier.Metadata.Name, g.First().Spec.Stage, g.Any(p => p.Spec.InputFile is not null), g.Any(last.Contains), drains, g.ToList());
            })
            .OrderBy(t => t.Stage)
            .ToList();
    }

    /// <summary>CPU time (user + system) of the tier's running processes so far.</summary>
    public double CpuSeconds() => Processes.Sum(p => p.ProcessId is { } pid ? ProcStat.CpuSeconds(pid) : 0);
}
