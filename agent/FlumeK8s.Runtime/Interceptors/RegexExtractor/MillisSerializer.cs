using System.Globalization;

namespace FlumeK8s.Runtime.Interceptors.RegexExtractor;

/// <summary>Reads the captured text as a date in a Joda pattern and gives its epoch milliseconds.</summary>
internal sealed class MillisSerializer(JodaDatePattern pattern, TimeZoneInfo zone) : IExtractorSerializer
{
    public string? Serialize(string value) =>
        pattern.TryParseMillis(value, zone, out var millis) ? millis.ToString(CultureInfo.InvariantCulture) : null;
}
