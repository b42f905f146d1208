using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Interceptors.RegexFilter;

/// <summary>
/// Keeps the events whose body (as UTF-8 text) contains a match, or with <c>excludeEvents</c>
/// drops them. Like Flume it searches (find), so the pattern need not match the whole body.
/// </summary>
internal sealed class RegexFilteringInterceptor(RegexFilteringInterceptorSettings settings) : EventInterceptor
{
    public override bool Intercept(Event @event) => Matches(@event.Body) != settings.ExcludeEvents;

    // Decodes into a pooled buffer: a filter sees every event, and the text is not kept.
    private bool Matches(byte[] body)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(body.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(body, buffer);
            return settings.Regex.IsMatch(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
