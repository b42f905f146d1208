using System.Globalization;
using System.Text;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

/// <summary>
/// A path (or file prefix) with Flume's escapes compiled once: <c>%x</c> time fields, <c>%{header}</c>
/// (empty when the header is missing) and <c>%[localhost|IP|FQDN]</c>. Rendering reuses the last
/// result while the inputs it depends on (the second, or the millisecond for <c>%t</c>, and the
/// header values) are unchanged, which is the common case within a batch. Not thread-safe.
/// </summary>
internal sealed class PathTemplate
{
    /// <summary>The time escapes of Flume's BucketPath, with the Java pattern each one stands for.</summary>
    public const string TimeFields = "aAbBcdeDHIjklmnMpSyYzst";

    private readonly PathSegment[] _segments;
    private readonly string[] _headerNames;
    private readonly string?[] _lastHeaders;
    private readonly bool _usesMillis;
    private readonly StringBuilder _builder = new();
    private long _lastTimeKey = long.MinValue;
    private string? _last;

    private PathTemplate(string text, PathSegment[] segments)
    {
        Text = text;
        _segments = segments;
        _headerNames = [.. segments.Where(s => s.Kind == PathSegmentKind.Header).Select(s => s.Text).Distinct(StringComparer.Ordinal)];
        _lastHeaders = new string?[_headerNames.Length];
        NeedsTime = segments.Any(s => s.Kind == PathSegmentKind.Time);
        _usesMillis = segments.Any(s => s is { Kind: PathSegmentKind.Time, TimeField: 't' });
        FixedPrefix = segments.Length > 0 && segments[0].Kind == PathSegmentKind.Literal ? segments[0].Text : "";
        IsConstant = segments.All(s => s.Kind is PathSegmentKind.Literal or PathSegmentKind.Host);
    }

    public string Text { get; }

    /// <summary>True when some escape reads the event's time.</summary>
    public bool NeedsTime { get; }

    /// <summary>True when the rendering is the same for every event.</summary>
    public bool IsConstant { get; }

    /// <summary>The literal text before the first escape.</summary>
    public string FixedPrefix { get; }

    /// <summary>Compiles <paramref name="text"/>; returns null and an explanation for an unknown or malformed escape.</summary>
    public static PathTemplate? Parse(string text, HostIdentity host, out string? error)
    {
        var segments = new List<PathSegment>();
        var literal = new StringBuilder();
        error = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                literal.Append(text[i]);
                continue;
            }
            if (i + 1 >= text.Length)
            {
                error = "ends with a lone '%' (write %% for a literal percent sign)";
                return null;
            }
            var next = text[i + 1];
            if (next == '%')
            {
                literal.Append('%');
                i++;
                continue;
            }
            if (next is '{' or '[')
            {
                var close = text.IndexOf(next == '{' ? '}' : ']', i + 2);
                var name = close < 0 ? "" : text[(i + 2)..close];
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                {
                    error = $"'{(close < 0 ? text[i..] : text[i..(close + 1)])}' is not a valid %{{header}} or %[host] escape";
                    return null;
                }
                if (next == '[')
                {
                    HostEscape? escape = name.ToLowerInvariant() switch
                    {
                        "localhost" => HostEscape.LocalHost,
                        "ip" => HostEscape.Ip,
                        "fqdn" => HostEscape.Fqdn,
                        _ => null,
                    };
                    if (escape is null)
                    {
                        error = $"'%[{name}]' does not match any of localhost, IP, FQDN";
                        return null;
                    }
                    // The host cannot change while the agent runs, so it becomes literal text.
                    literal.Append(host.Get(escape.Value));
                }
                else
                {
                    Flush(literal, segments);
                    segments.Add(new PathSegment(PathSegmentKind.Header, name));
                }
                i = close;
                continue;
            }
            if (!TimeFields.Contains(next, StringComparison.Ordinal))
            {
                error = $"'%{next}' is not an escape Flume knows (time escapes: {string.Join(" ", TimeFields.Select(c => "%" + c))}, %%, %{{header}}, %[localhost|IP|FQDN])";
                return null;
            }
            Flush(literal, segments);
            segments.Add(new PathSegment(PathSegmentKind.Time, "", next));
            i++;
        }
        Flush(literal, segments);
        return new PathTemplate(text, [.. segments]);
    }

    /// <summary>The text for <paramref name="event"/>; <paramref name="timestampMillis"/> is used only when <see cref="NeedsTime"/>.</summary>
    public string Render(Event @event, long timestampMillis, TimeZoneInfo zone)
    {
        var timeKey = !NeedsTime ? 0 : _usesMillis ? timestampMillis : Math.DivRem(timestampMillis, 1000, out var ms) - (ms < 0 ? 1 : 0);
        var same = _last is not null && timeKey == _lastTimeKey;
        for (var i = 0; i < _headerNames.Length; i++)
        {
            var value = @event.GetHeader(_headerNames[i]);
            if (!string.Equals(value, _lastHeaders[i], StringComparison.Ordinal))
            {
                same = false;
                _lastHeaders[i] = value;
            }
        }
        if (same)
        {
            return _last!;
        }
        _lastTimeKey = timeKey;
        _last = Format(@event, timestampMillis, zone);
        return _last;
    }

    private string Format(Event @event, long timestampMillis, TimeZoneInfo zone)
    {
        _builder.Clear();
        var local = NeedsTime ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(timestampMillis), zone) : default;
        foreach (var segment in _segments)
        {
            switch (segment.Kind)
            {
                case PathSegmentKind.Header:
                    _builder.Append(@event.GetHeader(segment.Text));
                    break;
                case PathSegmentKind.Time:
                    AppendTime(_builder, segment.TimeField, local, timestampMillis);
                    break;
                default:
                    _builder.Append(segment.Text);
                    break;
            }
        }
        return _builder.ToString();
    }

    private static void AppendTime(StringBuilder builder, char field, DateTimeOffset t, long millis)
    {
        var c = CultureInfo.InvariantCulture;
        switch (field)
        {
            case 'a': builder.Append(t.ToString("ddd", c)); break;
            case 'A': builder.Append(t.ToString("dddd", c)); break;
            case 'b': builder.Append(t.ToString("MMM", c)); break;
            case 'B': builder.Append(t.ToString("MMMM", c)); break;
            case 'c': builder.Append(t.ToString("ddd MMM ", c)).Append(t.Day.ToString(c)).Append(t.ToString(" HH:mm:ss yyyy", c)); break;
            case 'd': builder.Append(t.ToString("dd", c)); break;
            case 'e': builder.Append(t.Day.ToString(c)); break;
            case 'D': builder.Append(t.ToString("MM/dd/yy", c)); break;
            case 'H': builder.Append(t.ToString("HH", c)); break;
            case 'I': builder.Append(t.ToString("hh", c)); break;
            case 'j': builder.Append(t.DayOfYear.ToString("000", c)); break;
            case 'k': builder.Append(t.Hour.ToString(c)); break;
            case 'l': builder.Append((t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString(c)); break;
            case 'm': builder.Append(t.ToString("MM", c)); break;
            case 'n': builder.Append(t.Month.ToString(c)); break;
            case 'M': builder.Append(t.ToString("mm", c)); break;
            case 'p': builder.Append(t.Hour < 12 ? "AM" : "PM"); break;
            case 'S': builder.Append(t.ToString("ss", c)); break;
            case 'y': builder.Append(t.ToString("yy", c)); break;
            case 'Y': builder.Append(t.ToString("yyyy", c)); break;
            case 'z':
                // Java's "Z": +hhmm without a colon.
                var offset = t.Offset;
                builder.Append(offset < TimeSpan.Zero ? '-' : '+').Append(offset.Duration().ToString("hhmm", c));
                break;
            case 's': builder.Append(Math.DivRem(millis, 1000, out var rest) - (rest < 0 ? 1 : 0)); break;
            default: builder.Append(millis.ToString(c)); break;
        }
    }

    private static void Flush(StringBuilder literal, List<PathSegment> segments)
    {
        if (literal.Length > 0)
        {
            segments.Add(new PathSegment(PathSegmentKind.Literal, literal.ToString()));
            literal.Clear();
        }
    }
}
