using System.Globalization;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Turns the two syslog timestamp forms into epoch milliseconds. Zone-less times are taken as
/// UTC (Flume uses the JVM's zone, which in a container is UTC as well, but is not something to
/// depend on). Fractions beyond milliseconds are truncated, as Flume does.
/// </summary>
internal static class SyslogTimestamp
{
    private static readonly string[] Rfc5424Formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"];

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>An RFC 5424 / RFC 3339 time such as <c>2003-10-11T22:14:15.003Z</c> or <c>…+02:00</c>.</summary>
    public static bool TryParseRfc5424(string text, out long epochMillis)
    {
        var ok = DateTimeOffset.TryParseExact(text, Rfc5424Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time);
        epochMillis = ok ? time.ToUnixTimeMilliseconds() : 0;
        return ok;
    }

    /// <summary>
    /// An RFC 3164 time such as <c>Oct 11 22:14:15</c> (or <c>Oct  1 …</c>), which has no year.
    /// The year is the one that puts the time within eleven months before and one month after
    /// <paramref name="now"/>: a December message read in January belongs to last year, and a
    /// sender whose clock runs a little ahead is not pushed a year back.
    /// </summary>
    public static bool TryParseRfc3164(string text, DateTimeOffset now, out long epochMillis)
    {
        epochMillis = 0;
        var parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            return false;
        }
        var month = Array.IndexOf(Months, parts[0]) + 1;
        if (month == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !TimeOnly.TryParseExact(parts[2], "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
        {
            return false;
        }
        var utcNow = now.ToUniversalTime();
        foreach (var year in (ReadOnlySpan<int>)[utcNow.Year, utcNow.Year - 1, utcNow.Year + 1])
        {
            if (day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                continue;
            }
            var candidate = new DateTimeOffset(new DateOnly(year, month, day), clock, TimeSpan.Zero);
            if (candidate.AddMonths(-1) <= utcNow && candidate.AddMonths(11) >= utcNow)
            {
                epochMillis = candidate.ToUnixTimeMilliseconds();
                return true;
            }
        }
        return false;
    }
}
