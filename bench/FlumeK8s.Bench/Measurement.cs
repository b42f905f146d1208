namespace FlumeK8s.Bench;

/// <summary>What one run of a scenario measured.</summary>
internal sealed record Measurement(string Scenario, int BatchSize, long Events, double Seconds, long AllocatedBytes, long PeakRssBytes, int BodySize, long Fsyncs, double CpuSeconds)
{
    public double EventsPerSecond => Events / Seconds;

    public double MegabytesPerSecond => Events * (double)BodySize / Seconds / 1_000_000;

    public double BytesAllocatedPerEvent => AllocatedBytes / (double)Events;

    public double FsyncsPerSecond => Fsyncs / Seconds;

    /// <summary>Agent CPU time (user + system, all threads) per million events moved.</summary>
    public double CpuSecondsPerMillion => CpuSeconds / Events * 1_000_000;
}
