using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors.Static;

/// <summary>Adds one fixed header to every event.</summary>
internal sealed class StaticInterceptor(StaticInterceptorSettings settings) : EventInterceptor
{
    public override bool Intercept(Event @event)
    {
        if (!settings.PreserveExisting || @event.GetHeader(settings.Key) is null)
        {
            @event.Headers[settings.Key] = settings.Value;
        }
        return true;
    }
}
