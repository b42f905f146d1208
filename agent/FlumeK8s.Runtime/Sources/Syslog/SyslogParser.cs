using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Builds one event from one syslog message, with Flume's headers: <c>Facility</c>,
/// <c>Severity</c>, <c>priority</c>, <c>version</c> (RFC 5424), <c>timestamp</c> (epoch ms),
/// <c>host</c>. The body is the message text after the header, unless <c>keepFields</c> keeps
/// header parts in it.
/// <para>
/// Nothing is dropped: a message without a valid <c>&lt;PRI&gt;</c>, or whose header matches
/// neither RFC, becomes an event whose body is the message as received, with
/// <c>flume.syslog.status=Invalid</c>; a message cut at <c>eventSize</c> is still parsed and is
/// marked <c>Incomplete</c>.
/// </para>
/// <para>
/// The header is ASCII by construction (the patterns admit nothing else), so the body's byte
/// offset is the encoded length of the header text and the body is sliced from the received
/// bytes: bytes that are not valid in the charset reach the channel unchanged.
/// </para>
/// </summary>
internal sealed partial class SyslogParser(SyslogKeepFields keepFields, Encoding encoding, TimeProvider time)
{
    public SyslogKeepFields KeepFields => keepFields;

    public Encoding Encoding => encoding;

    public Event Parse(byte[] message, bool truncated)
    {
        string text;
        try
        {
            text = encoding.GetString(message);
        }
        catch (DecoderFallbackException)
        {
            // Only a strict encoding (multiport's per-port charsets) throws: bytes that are not
            // text in the port's charset make the message Invalid, as in Flume.
            return Invalid(message, facility: 0, severity: 0);
        }
        if (!TryReadPriority(text, out var priority))
        {
            return Invalid(message, facility: 0, severity: 0);
        }
        var isRfc5424 = true;
        var match = Rfc5424().Match(text);
        if (!match.Success)
        {
            isRfc5424 = false;
            match = Rfc3164().Match(text);
        }
        if (!match.Success)
        {
            return Invalid(message, priority / 8, priority % 8);
        }
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SyslogHeaders.Facility] = Number(priority / 8),
            [SyslogHeaders.Severity] = Number(priority % 8),
            [SyslogHeaders.Priority] = match.Groups["pri"].Value,
        };
        var version = match.Groups["ver"].Value;
        if (version.Length > 0)
        {
            headers[SyslogHeaders.Version] = version;
        }
        var stamp = match.Groups["ts"];
        if (stamp.Success && ParseTime(stamp.Value, isRfc5424) is { } millis)
        {
            headers[SyslogHeaders.Timestamp] = Number(millis);
        }
        var host = match.Groups["host"];
        if (host.Success)
        {
            headers[SyslogHeaders.Host] = host.Value;
        }
        if (truncated)
        {
            headers[SyslogHeaders.Status] = SyslogHeaders.Incomplete;
        }
        return new Event(Body(message, text, match), headers);
    }

    private long? ParseTime(string stamp, bool isRfc5424)
    {
        var ok = isRfc5424
            ? SyslogTimestamp.TryParseRfc5424(stamp, out var millis)
            : SyslogTimestamp.TryParseRfc3164(stamp, time.GetUtcNow(), out millis);
        return ok ? millis : null;
    }

    private byte[] Body(byte[] message, string text, Match match)
    {
        var body = match.Groups["msg"];
        if ((keepFields & SyslogKeepFields.All) != 0 || body.Length == 0)
        {
            // Flume keeps the whole message when told to, and when there is nothing after the header.
            return message;
        }
        var offset = encoding.GetByteCount(text.AsSpan(0, body.Index));
        var prefix = KeptPrefix(match);
        if (prefix.Length == 0)
        {
            return message.AsSpan(offset).ToArray();
        }
        var prefixLength = encoding.GetByteCount(prefix);
        var result = new byte[prefixLength + message.Length - offset];
        encoding.GetBytes(prefix, result);
        message.AsSpan(offset).CopyTo(result.AsSpan(prefixLength));
        return result;
    }

    /// <summary>The kept header parts in Flume's order: <c>&lt;PRI&gt;VERSION TIMESTAMP HOSTNAME </c>.</summary>
    private string KeptPrefix(Match match)
    {
        if (keepFields == SyslogKeepFields.None)
        {
            return "";
        }
        var prefix = new StringBuilder();
        if ((keepFields & SyslogKeepFields.Priority) != 0)
        {
            prefix.Append('<').Append(match.Groups["pri"].Value).Append('>');
        }
        if ((keepFields & SyslogKeepFields.Version) != 0 && match.Groups["ver"].Length > 0)
        {
            prefix.Append(match.Groups["ver"].Value).Append(' ');
        }
        if ((keepFields & SyslogKeepFields.Timestamp) != 0)
        {
            prefix.Append(NilIfMissing(match.Groups["ts"])).Append(' ');
        }
        if ((keepFields & SyslogKeepFields.Hostname) != 0)
        {
            prefix.Append(NilIfMissing(match.Groups["host"])).Append(' ');
        }
        return prefix.ToString();
    }

    // RFC 5424 writes an absent value as "-"; keeping it keeps the body's columns aligned.
    private static string NilIfMissing(Group group) => group.Success ? group.Value : "-";

    private static bool TryReadPriority(string text, out int priority)
    {
        priority = 0;
        if (text.Length < 3 || text[0] != '<')
        {
            return false;
        }
        var close = text.IndexOf('>', 1, Math.Min(4, text.Length - 1));
        return close > 1 && int.TryParse(text.AsSpan(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out priority);
    }

    private static Event Invalid(byte[] message, int facility, int severity) => new(message, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SyslogHeaders.Facility] = Number(facility),
        [SyslogHeaders.Severity] = Number(severity),
        [SyslogHeaders.Status] = SyslogHeaders.Invalid,
    });

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    // <PRI>VERSION? TIMESTAMP|- HOSTNAME|- MSG. Structured data and app/proc/msg ids stay in MSG, as in Flume.
    // Hostnames may hold ':' so that IPv6 literals parse.
    [GeneratedRegex(@"\A<(?<pri>[0-9]{1,3})>(?<ver>[0-9]?)[ \t]?(?:(?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:[+-][0-9]{2}:[0-9]{2}|Z)?)|-)[ \t](?:(?<host>[A-Za-z0-9_:][A-Za-z0-9_.@:-]*)|-)[ \t](?<msg>.*)\z",
        RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Rfc5424();

    // <PRI>VERSION? Mmm dd hh:mm:ss HOSTNAME MSG; a day below 10 may be padded with a second space.
    [GeneratedRegex(@"\A<(?<pri>[0-9]{1,3})>(?<ver>[0-9]?)[ \t]?(?<ts>[A-Z][a-z]{2}[ \t]{1,2}[0-9]{1,2}[ \t][0-9]{2}:[0-9]{2}:[0-9]{2})[ \t](?<host>[A-Za-z0-9_][A-Za-z0-9_.@-]*)[ \t](?<msg>.*)\z",
        RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3164();
}
