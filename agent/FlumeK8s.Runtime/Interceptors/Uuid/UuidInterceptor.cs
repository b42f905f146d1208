using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors.Uuid;

/// <summary>
/// Gives each event a random (version 4) UUID, lower-case with hyphens as Java prints it. The ids
/// come from <see cref="Guid.NewGuid"/>, not the agent's injectable random source: they must stay
/// unique across agents and restarts, which a seeded generator would not guarantee.
/// </summary>
internal sealed class UuidInterceptor(UuidInterceptorSettings settings) : EventInterceptor
{
    public override bool Intercept(Event @event)
    {
        if (!settings.PreserveExisting || @event.GetHeader(settings.HeaderName) is null)
        {
            @event.Headers[settings.HeaderName] = settings.Prefix + Guid.NewGuid().ToString("D");
        }
        return true;
    }
}
