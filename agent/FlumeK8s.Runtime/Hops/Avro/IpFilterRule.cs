using System.Net;
using System.Text.RegularExpressions;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// One of the avro source's <c>ipFilterRules</c>: <c>allow|deny:ip|name:pattern</c>, where the
/// pattern may use <c>*</c> (any run of characters) and <c>?</c> (one character). An ip rule
/// matches the client's address as text; a name rule matches its host name (reverse lookup),
/// and <c>name:localhost</c> also matches any loopback address, as Netty's pattern rule does.
/// </summary>
public sealed record IpFilterRule(bool Allow, bool ByName, string Pattern)
{
    private readonly Regex _regex = new(
        "^" + Regex.Escape(Pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
        RegexOptions.CultureInvariant | (ByName ? RegexOptions.IgnoreCase : RegexOptions.None));

    /// <summary>Parses one rule, or returns null with the reason it is malformed.</summary>
    public static IpFilterRule? TryParse(string text, out string? problem)
    {
        var parts = text.Trim().Split(':', 3);
        if (parts.Length != 3 || parts[2].Length == 0)
        {
            problem = $"'{text}' is not allow|deny:ip|name:pattern";
            return null;
        }
        bool? allow = parts[0].ToLowerInvariant() switch { "allow" => true, "deny" => false, _ => null };
        bool? byName = parts[1].ToLowerInvariant() switch { "ip" => false, "name" => true, _ => null };
        if (allow is null || byName is null)
        {
            problem = $"'{text}' is not allow|deny:ip|name:pattern";
            return null;
        }
        problem = null;
        return new IpFilterRule(allow.Value, byName.Value, parts[2]);
    }

    public bool Matches(IPAddress address, string? hostName)
    {
        if (!ByName)
        {
            return _regex.IsMatch(address.ToString());
        }
        if (IPAddress.IsLoopback(address) && string.Equals(Pattern, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return hostName is not null && _regex.IsMatch(hostName);
    }
}
