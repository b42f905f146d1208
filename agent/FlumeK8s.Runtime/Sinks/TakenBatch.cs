using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks;

/// <summary>A batch a <see cref="BatchSink"/> took, with its place in the take order (<see cref="TakeOrder"/>).</summary>
internal sealed class TakenBatch : List<Event>
{
    public const long NoTicket = -1;

    public long Ticket { get; set; } = NoTicket;
}
