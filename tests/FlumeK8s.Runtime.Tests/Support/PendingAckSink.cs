using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>
/// A sink whose next tier acknowledges only when <paramref name="acknowledged"/> completes: until
/// then its take stays open, as a hop sink's does while it waits for the next tier's answer.
/// </summary>
public sealed class PendingAckSink(string name, IChannel channel, Task acknowledged) : BatchSink(name, "pending-ack", channel, 10)
{
    protected override async ValueTask DeliverAsync(IReadOnlyList<Event> batch, CancellationToken cancellationToken) =>
        await acknowledged.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The catalog entry for <c>type = pending-ack</c>.</summary>
    public static ComponentType<SinkPlan> Type(Task acknowledged) =>
        new("pending-ack", _ => new SinkPlan(b => new PendingAckSink(b.Name, b.Channel, acknowledged), 10));
}
