using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>
/// A sink that fails every batch (so it rolls back, as a sink whose next tier is down does) until
/// its gate opens, then delivers. The gate is shared by every instance built from one catalog type.
/// </summary>
public sealed class GatedSink(string name, IChannel channel, DeliveryGate gate) : BatchSink(name, "gated", channel, 10)
{
    protected override ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken)
    {
        if (!gate.IsOpen)
        {
            throw new SinkDeliveryException($"sink {Name}: the next tier is down");
        }
        gate.Add(batch.Count);
        return ValueTask.CompletedTask;
    }

    /// <summary>The catalog entry for <c>type = gated</c>, building sinks behind <paramref name="gate"/>.</summary>
    public static ComponentType<SinkPlan> Type(DeliveryGate gate) =>
        new("gated", _ => new SinkPlan(b => new GatedSink(b.Name, b.Channel, gate), 10));
}
