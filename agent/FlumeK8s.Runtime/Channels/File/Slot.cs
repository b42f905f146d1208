using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>One queued event: where its record is in the log, and the event itself while it is cached in memory.</summary>
internal struct Slot(long pointer, Event? cached)
{
    public long Pointer = pointer;
    public Event? Cached = cached;
}
