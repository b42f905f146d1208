using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors;

/// <summary>Changes or drops events before the selector routes them. Works on a whole batch in place.</summary>
public interface IInterceptor
{
    /// <summary>Rewrites <paramref name="batch"/> in place; removing an event drops it.</summary>
    void Intercept(List<Event> batch);
}
