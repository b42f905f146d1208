namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// One reading of the whole pipeline: seconds since the first line was written, the lines written so
/// far, and each tier's counters (in the order of <see cref="PipelineTier"/>s: agents first).
/// </summary>
internal sealed record PipelineSample(double Seconds, long Written, IReadOnlyList<TierReading> Tiers)
{
    /// <summary>Events drained by the last tiers' sinks: what reached the output.</summary>
    public long Delivered(IReadOnlyList<PipelineTier> tiers) => Tiers.Where((_, i) => tiers[i].Last).Sum(t => t.Out);

    /// <summary>Lines written that the tailing tiers' sources have not accepted yet.</summary>
    public long Unread(IReadOnlyList<PipelineTier> tiers) => Written - Tiers.Where((_, i) => tiers[i].Tails).Sum(t => t.In);
}
