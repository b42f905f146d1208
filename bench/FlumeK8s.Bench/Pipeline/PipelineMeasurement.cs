namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// What one run of the pipeline measured: the events, the seconds from the first line written to the
/// last event in the output, the rate over the middle of the run, when the writer finished, each tier's
/// CPU and the benchmark's own (the writer and the readings), the duplicates found in the output, the
/// stages, and the readings themselves (of the tiers, in flow order).
/// </summary>
internal sealed record PipelineMeasurement(
    long Events,
    double Seconds,
    double WriteSeconds,
    IReadOnlyList<TierCpu> Cpu,
    double HarnessCpuSeconds,
    long Duplicates,
    int OutputFiles,
    StageReport Stages,
    IReadOnlyList<PipelineTier> Tiers,
    IReadOnlyList<PipelineSample> Timeline)
{
    public double EventsPerSecond => Events / Seconds;

    public static double PerMillion(double cpuSeconds, long events) => cpuSeconds / events * 1_000_000;
}
