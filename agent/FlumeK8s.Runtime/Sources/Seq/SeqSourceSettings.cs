using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Sources.Delivery;

namespace FlumeK8s.Runtime.Sources.Seq;

/// <summary>
/// The seq source's properties. <c>bodySize</c> is ours: it left-pads the number with zeros to a
/// fixed body size, so benchmarks and loss checks can use realistic bodies that still carry their
/// sequence number. <c>batches-in-flight</c>: see <see cref="BatchesInFlightSetting"/>.
/// </summary>
public sealed record SeqSourceSettings(int BatchSize, long TotalEvents, int BodySize, int BatchesInFlight = BatchesInFlightSetting.Default)
{
    public static SeqSourceSettings Read(ComponentContext context) => new(
        context.GetInt("batchSize", 1, min: 1),
        context.GetLong("totalEvents", long.MaxValue, min: 0),
        context.GetInt("bodySize", 0, min: 0, max: 64 * 1024 * 1024),
        BatchesInFlightSetting.Read(context));
}
