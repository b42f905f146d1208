namespace FlumeK8s.Runtime.Configuration;

/// <summary>
/// The <c>batches-in-flight</c> property, read the same way for every built-in sink and every polled
/// source that overlaps its commits. A sink: how many batches it has taken and not yet committed at
/// once, read by the planner for every sink type whose plan allows it (<c>SinkPlan.BatchesMayOverlap</c>)
/// and run by its <c>SinkRunner</c> as that many loops (a sink in a group keeps one). A source:
/// how many batches it has handed to its channels and not yet seen committed (<c>DeliveryWindow</c>).
/// 1 is Flume's way: one batch, its commit, then the next.
/// </summary>
public static class BatchesInFlightSetting
{
    public const string Key = "batches-in-flight";

    /// <summary>
    /// Two, on both sides, chosen by measurement (bench/README.md, "Sink batches in flight" and
    /// "Source batches in flight"): the next batch is read or taken while the previous one's commit
    /// (and a sink's output) completes. More gained nothing steady on two cores and lets a crash
    /// repeat more.
    /// </summary>
    public const int Default = 2;

    public const int Max = 16;

    public static int Read(ComponentContext context) => context.GetInt(Key, Default, min: 1, max: Max);
}
