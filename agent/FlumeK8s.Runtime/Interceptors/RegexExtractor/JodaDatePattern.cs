using System.Globalization;
using System.Text;

namespace FlumeK8s.Runtime.Interceptors.RegexExtractor;

/// <summary>
/// A Joda-Time pattern (what Flume's millis serializer takes, e.g. "yyyy-MM-dd HH:mm") translated
/// once into a .NET exact-parse format. Letters, Joda → .NET:
/// <code>
///   y, yyy, yyyy, Y… → yyyy   year (Y is Joda's year of era, the same for AD dates)
///   yy               → yy     two-digit year (.NET reads 00–49 as 20xx, Joda within 50 years of now)
///   M, MM            → M, MM  month number;  MMM → MMM (Jan);  MMMM… → MMMM (January)
///   d, dd            → d, dd  day of month
///   H, HH / h, hh    → H, HH / h, hh   hour 0–23 / 1–12
///   a                → tt     AM/PM
///   m, mm / s, ss    → m, mm / s, ss
///   S… (up to 7)     → f…     fraction of a second (SSS = milliseconds)
///   E, EEE / EEEE…   → ddd / dddd      day name (Mon / Monday)
///   Z, ZZ            → zzz    offset, "+0100" or "+01:00"
///   'text', ''       → literal text, a single quote
/// </code>
/// Letters .NET cannot parse (G C x w e D K k z ZZZ, and any other) are a configuration error, as
/// Joda rejects unknown letters. Every other character is literal. Fields the pattern lacks take
/// Joda's defaults from 1970-01-01T00:00; a time without an offset is in the agent's time zone.
/// </summary>
internal sealed record JodaDatePattern(string Pattern, string Format, bool HasYear, bool HasOffset)
{
    // .NET fills a missing year with the current one (and a missing date with today), Joda with
    // 1970; appending the year to format and input gives Joda's answer without reading the clock.
    private const string YearSuffix = "\u00011970";
    private const string YearSuffixFormat = "\\\u0001yyyy";

    /// <summary>The translated pattern, or null with <paramref name="error"/> saying which part has no .NET equivalent.</summary>
    public static JodaDatePattern? Translate(string pattern, out string? error)
    {
        var format = new StringBuilder(pattern.Length * 2);
        bool hasYear = false, hasOffset = false;
        error = null;
        var i = 0;
        while (i < pattern.Length && error is null)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                i = AppendQuoted(format, pattern, i, out error);
            }
            else if (char.IsAsciiLetter(c))
            {
                var run = 1;
                while (i + run < pattern.Length && pattern[i + run] == c)
                {
                    run++;
                }
                hasYear |= c is 'y' or 'Y';
                hasOffset |= c == 'Z';
                var token = Letters(c, run);
                if (token is null)
                {
                    error = $"pattern letter '{new string(c, run)}' has no .NET equivalent";
                }
                format.Append(token);
                i += run;
            }
            else
            {
                format.Append('\\').Append(c);
                i++;
            }
        }
        if (error is null && pattern.Length == 0)
        {
            error = "the pattern is empty";
        }
        return error is null
            ? new JodaDatePattern(pattern, hasYear ? format.ToString() : format + YearSuffixFormat, hasYear, hasOffset)
            : null;
    }

    /// <summary>Epoch milliseconds of <paramref name="text"/>; a time without an offset is read in <paramref name="zone"/>.</summary>
    public bool TryParseMillis(string text, TimeZoneInfo zone, out long millis)
    {
        millis = 0;
        var input = HasYear ? text : text + YearSuffix;
        if (HasOffset)
        {
            if (!DateTimeOffset.TryParseExact(input, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                return false;
            }
            millis = instant.ToUnixTimeMilliseconds();
            return true;
        }
        if (!DateTime.TryParseExact(input, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || zone.IsInvalidTime(local))
        {
            // A local time skipped by a daylight-saving change does not exist; Joda rejects it too.
            return false;
        }
        // In the hour a clock change repeats, Joda picks the earlier instant: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        millis = new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
        return true;
    }

    private static string? Letters(char letter, int run) => (letter, run) switch
    {
        ('y' or 'Y', 2) => "yy",
        ('y' or 'Y', _) => "yyyy",
        ('M', <= 2) => new string('M', run),
        ('M', 3) => "MMM",
        ('M', _) => "MMMM",
        ('d' or 'H' or 'h' or 'm' or 's', 1) => "%" + letter,
        ('d' or 'H' or 'h' or 'm' or 's', _) => new string(letter, 2),
        ('S', <= 7) => new string('f', run),
        ('E', <= 3) => "ddd",
        ('E', _) => "dddd",
        ('a', _) => "tt",
        ('Z', <= 2) => "zzz",
        _ => null,
    };

    /// <summary>Appends quoted text ('' inside or alone is a quote); returns the index after the closing quote.</summary>
    private static int AppendQuoted(StringBuilder format, string pattern, int open, out string? error)
    {
        error = null;
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '\'')
        {
            format.Append("\\'");
            return i + 1;
        }
        for (; i < pattern.Length; i++)
        {
            if (pattern[i] != '\'')
            {
                format.Append('\\').Append(pattern[i]);
            }
            else if (i + 1 < pattern.Length && pattern[i + 1] == '\'')
            {
                format.Append("\\'");
                i++;
            }
            else
            {
                return i + 1;
            }
        }
        error = $"the quote at {open} is not closed";
        return i;
    }
}
