using System.Text;
using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Events;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Interceptors.RegexExtractor;

/// <summary>
/// Finds the regex in each body (as UTF-8 text) and stores group i, through serializer i, in that
/// serializer's header. Groups beyond the serializers are ignored, as in Flume.
/// </summary>
internal sealed partial class RegexExtractorInterceptor : EventInterceptor
{
    private readonly Regex _regex;
    private readonly (int Group, string Header, IExtractorSerializer Serializer)[] _extractions;
    private readonly ILogger _logger;

    public RegexExtractorInterceptor(RegexExtractorInterceptorSettings settings, TimeZoneInfo zone, ILogger logger)
    {
        _regex = settings.Regex;
        _logger = logger;
        var count = Math.Min(settings.Serializers.Count, settings.Groups.Count - 1);
        _extractions = [.. settings.Serializers.Take(count).Select((s, i) => (settings.Groups[i + 1], s.HeaderName, s.Create(zone)))];
    }

    public override bool Intercept(Event @event)
    {
        var match = _regex.Match(Encoding.UTF8.GetString(@event.Body));
        if (!match.Success)
        {
            return true;
        }
        foreach (var (number, header, serializer) in _extractions)
        {
            var group = match.Groups[number];
            // An optional group that took no part: Java would store a null header value, which
            // this event model cannot hold, so the header is left unset.
            if (!group.Success)
            {
                continue;
            }
            if (serializer.Serialize(group.Value) is { } value)
            {
                @event.Headers[header] = value;
            }
            else
            {
                CannotSerialize(_logger, group.Value, header);
            }
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Regex extractor could not serialize '{Value}' for header {Header}; the event goes on without it")]
    private static partial void CannotSerialize(ILogger logger, string value, string header);
}
