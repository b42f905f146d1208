using System.Globalization;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>
/// What the <c>hosts</c> property names: either a static list (<c>h1:4141 h2:4141</c>, IPv6 as
/// <c>[::1]:4141</c>) or one DNS target (<c>dns:///name:port</c>, gRPC's target syntax) whose
/// every address is an endpoint.
/// </summary>
public sealed record HostsSpec(IReadOnlyList<HopEndpoint> Static, DnsTarget? Dns)
{
    public const string DnsScheme = "dns:";

    public static HostsSpec Read(ComponentContext context, string key, int defaultPort)
    {
        var items = context.GetList(key);
        if (items.Count == 0)
        {
            context.Require(key);
            if (context.Contains(key))
            {
                context.Error(key, "names no host");
            }
            return new HostsSpec([], null);
        }
        if (items.Any(i => i.StartsWith(DnsScheme, StringComparison.OrdinalIgnoreCase)))
        {
            if (items.Count > 1)
            {
                context.Error(key, "a dns: target must be the only entry");
            }
            return new HostsSpec([], ReadDns(context, key, items[0], defaultPort));
        }
        var endpoints = new List<HopEndpoint>();
        foreach (var item in items)
        {
            if (TryParseHostPort(item, defaultPort, out var host, out var port, out var problem))
            {
                endpoints.Add(new HopEndpoint(host, port));
            }
            else
            {
                context.Error(key, $"'{item}': {problem}");
            }
        }
        if (endpoints.Distinct().Count() != endpoints.Count)
        {
            context.Error(key, "names the same endpoint more than once");
        }
        return new HostsSpec(endpoints, null);
    }

    private static DnsTarget? ReadDns(ComponentContext context, string key, string item, int defaultPort)
    {
        const string prefix = "dns:///";
        if (!item.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Error(key, $"'{item}': write a DNS target as dns:///name:port (a DNS server authority is not supported)");
            return null;
        }
        if (!TryParseHostPort(item[prefix.Length..], defaultPort, out var host, out var port, out var problem))
        {
            context.Error(key, $"'{item}': {problem}");
            return null;
        }
        return new DnsTarget(host, port);
    }

    public static bool TryParseHostPort(string text, int defaultPort, out string host, out int port, out string problem)
    {
        host = text;
        port = defaultPort;
        problem = "";
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problem = "an IPv6 address in brackets lacks its ']'";
                return false;
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    problem = "expected ':port' after the bracketed address";
                    return false;
                }
                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0)
            {
                if (text.IndexOf(':', StringComparison.Ordinal) != colon)
                {
                    problem = "write an IPv6 address in brackets, as [::1]:4141";
                    return false;
                }
                host = text[..colon];
                portText = text[(colon + 1)..];
            }
        }
        if (host.Length == 0)
        {
            problem = "the host is empty";
            return false;
        }
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            problem = $"'{portText}' is not a port (1-65535)";
            return false;
        }
        return true;
    }
}
