using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors.SearchReplace;

/// <summary>Rewrites each body: decoded with the configured charset, every match replaced, encoded back.</summary>
internal sealed class SearchAndReplaceInterceptor(SearchAndReplaceInterceptorSettings settings) : EventInterceptor
{
    public override bool Intercept(Event @event)
    {
        var text = settings.Charset.GetString(@event.Body);
        var replaced = settings.SearchPattern.Replace(text, settings.Replacement);
        // Replace returns the same string when nothing matched: the body stays as it was, byte for byte.
        if (!ReferenceEquals(replaced, text))
        {
            @event.Body = settings.Charset.GetBytes(replaced);
        }
        return true;
    }
}
