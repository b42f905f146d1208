namespace FlumeK8s.Bench.Pipeline;

/// <summary>
/// A tier's counters at one moment, summed over its processes: events its sources accepted, events its
/// sinks drained, events in its channels, and its fullest channel's fill (percent).
/// </summary>
internal sealed record TierReading(long In, long Out, long Channel, double Fill)
{
    public static readonly TierReading Zero = new(0, 0, 0, 0);

    public TierReading Add(FlumeK8s.Operator.Local.MetricsSample process) =>
        new(In + process.In, Out + process.Out, Channel + process.ChannelSize, Math.Max(Fill, process.FillPercentage));
}
