using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors;

/// <summary>An interceptor that looks at one event at a time; the batch loop and compaction live here once.</summary>
public abstract class EventInterceptor : IInterceptor
{
    /// <summary>Changes <paramref name="event"/> in place; false drops it.</summary>
    public abstract bool Intercept(Event @event);

    public void Intercept(List<Event> batch)
    {
        var kept = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var @event = batch[i];
            if (Intercept(@event))
            {
                batch[kept++] = @event;
            }
        }
        batch.RemoveRange(kept, batch.Count - kept);
    }
}
