using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors.RemoveHeader;

/// <summary>Removes headers by name, by list and by pattern; each configured rule applies.</summary>
internal sealed class RemoveHeaderInterceptor(RemoveHeaderInterceptorSettings settings) : EventInterceptor
{
    public override bool Intercept(Event @event)
    {
        if (!@event.HasHeaders)
        {
            return true;
        }
        var headers = @event.Headers;
        if (settings.WithName is { } name)
        {
            headers.Remove(name);
        }
        foreach (var listed in settings.FromList)
        {
            headers.Remove(listed);
        }
        if (settings.Matching is { } matching)
        {
            // Removing while enumerating is allowed for Dictionary (since .NET Core 3.0) and avoids a copy.
            foreach (var key in headers.Keys)
            {
                if (matching.IsMatch(key))
                {
                    headers.Remove(key);
                }
            }
        }
        return true;
    }
}
