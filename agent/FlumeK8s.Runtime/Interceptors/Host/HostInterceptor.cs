using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors.Host;

/// <summary>
/// Adds the agent's host (address or name, looked up once when built). When the lookup failed
/// the host is null and events pass unchanged, as in Flume; the failure was logged at build time.
/// </summary>
internal sealed class HostInterceptor(HostInterceptorSettings settings, string? host) : EventInterceptor
{
    public override bool Intercept(Event @event)
    {
        if (host is null || (settings.PreserveExisting && @event.GetHeader(settings.HostHeader) is not null))
        {
            return true;
        }
        @event.Headers[settings.HostHeader] = host;
        return true;
    }
}
