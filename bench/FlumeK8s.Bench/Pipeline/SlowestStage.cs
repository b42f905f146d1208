using System.Globalization;

namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// Which stage set the end-to-end rate, read from the backlogs in front of each stage over the middle of
/// the run (from the reading where a quarter of the events had reached the output to the one where three
/// quarters had): the written lines not yet read by the tailing tiers, then each tier's channels, drained
/// by the hop to the next tier or by the last tier's sinks.
/// A stage is saturated when it had work waiting the whole time: the backlog in front of it never fell
/// under <see cref="Standing"/> events, or grew by more than 2% of what was delivered meanwhile, or its
/// channel ended more than 90% full (a full channel stops growing and holds its producer back). Stages
/// after a saturated one that are not saturated themselves kept up with it, so the most downstream
/// saturated stage is the one the output rate is made by. None saturated: the pipeline kept up with the writer.
/// </summary>
internal static class SlowestStage
{
    private const double GrowthShare = 0.02;
    private const double FullPercent = 90;

    /// <summary>A standing backlog: more than batches in flight, and at least 1% of the run.</summary>
    public static long Standing(long events) => Math.Max(10_000, events / 100);

    public static StageReport Decide(IReadOnlyList<PipelineTier> tiers, IReadOnlyList<PipelineSample> timeline, long events)
    {
        var (from, to) = Window(tiers, timeline, events);
        var window = timeline.Where(s => s.Seconds >= from.Seconds && s.Seconds <= to.Seconds).ToList();
        var seconds = Math.Max(to.Seconds - from.Seconds, 1e-3);
        var delivered = to.Delivered(tiers) - from.Delivered(tiers);
        var standing = Standing(events);
        StageFigures Stage(string stage, string queue, Func<PipelineSample, long> backlog, Func<PipelineSample, long> drained, double? fill)
        {
            var start = backlog(from);
            var end = backlog(to);
            var min = window.Min(backlog);
            var saturated = min >= standing || end - start > GrowthShare * delivered || fill > FullPercent;
            return new StageFigures(stage, queue, (drained(to) - drained(from)) / seconds, start, end, min, fill, saturated);
        }
        var tailing = string.Join(", ", tiers.Where(t => t.Tails).Select(t => t.Name));
        var stages = new List<StageFigures>
        {
            Stage($"{tailing} sources (read the files)", "lines written, not yet read", s => s.Unread(tiers), s => s.Tiers.Where((_, i) => tiers[i].Tails).Sum(t => t.In), null),
        };
        for (var i = 0; i < tiers.Count; i++)
        {
            var index = i;
            stages.Add(Stage(tiers[i].Drains, $"{tiers[i].Name} channels", s => s.Tiers[index].Channel, s => s.Tiers[index].Out, to.Tiers[index].Fill));
        }
        var limiting = stages.LastOrDefault(s => s.Saturated);
        var why = limiting is null
            ? string.Create(CultureInfo.InvariantCulture, $"no stage had {standing:N0} events waiting the whole time: the pipeline kept up with the writer")
            : string.Create(CultureInfo.InvariantCulture,
                $"the last stage with work waiting all the time ({limiting.Queue}: {limiting.BacklogStart:N0} → {limiting.BacklogEnd:N0}, never under {limiting.BacklogMin:N0}); every stage after it kept its backlog down, so it made the output rate");
        return new StageReport(stages, from.Seconds, to.Seconds, delivered / seconds, limiting?.Stage ?? "the writer", why);
    }

    /// <summary>The readings where a quarter and three quarters of the events had been delivered (the first and the last reading when the run was too short to tell).</summary>
    private static (PipelineSample From, PipelineSample To) Window(IReadOnlyList<PipelineTier> tiers, IReadOnlyList<PipelineSample> timeline, long events)
    {
        var from = timeline.FirstOrDefault(s => s.Delivered(tiers) >= events / 4) ?? timeline[0];
        var to = timeline.FirstOrDefault(s => s.Delivered(tiers) >= events * 3 / 4) ?? timeline[^1];
        return to.Seconds > from.Seconds ? (from, to) : (timeline[0], timeline[^1]);
    }
}
