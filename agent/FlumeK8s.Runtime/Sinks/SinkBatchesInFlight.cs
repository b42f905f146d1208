using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sinks;

/// <summary>
/// The <c>batches-in-flight</c> property, read the same way for every built-in sink: how many
/// batches a lone sink has taken and not yet committed at once (see <see cref="ISink.BatchesInFlight"/>).
/// A sink in a group keeps one, whatever it says.
/// </summary>
public static class SinkBatchesInFlight
{
    public const string Key = "batches-in-flight";

    /// <summary>
    /// Two: the next batch is taken while the previous one's output and take commit complete.
    /// Measured against one and three (bench/README.md, "Sink batches in flight"): the hdfs sink,
    /// which waits for its disk, gains with each lane, and the CPU per event does not grow; two keeps
    /// what a crash may repeat at two batches.
    /// </summary>
    public const int Default = 2;

    public const int Max = 16;

    public static int Read(ComponentContext context) => context.GetInt(Key, Default, min: 1, max: Max);
}
