using System.Globalization;

namespace FlumeK8s.Operator.Cli;

/// <summary>Durations on the command line: a whole number with a unit, <c>90d</c>, <c>720h</c>, <c>30m</c> or <c>45s</c>.</summary>
internal static class DurationText
{
    public static TimeSpan? Parse(string text)
    {
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 100_000_000)
        {
            return null;
        }
        return text[^1] switch
        {
            'd' => TimeSpan.FromDays(count),
            'h' => TimeSpan.FromHours(count),
            'm' => TimeSpan.FromMinutes(count),
            's' => TimeSpan.FromSeconds(count),
            _ => null,
        };
    }
}
