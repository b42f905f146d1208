using System.Security.Authentication;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Flume's <c>include-protocols</c> / <c>exclude-protocols</c> (space-separated Java names) as
/// .NET's TLS versions. Only TLSv1.2 and TLSv1.3 can be enabled; older names are accepted in an
/// exclude list (they are off anyway) and warned about in an include list.
/// </summary>
internal static class AvroTlsProtocols
{
    private static readonly (string Name, SslProtocols Protocol)[] Known =
    [
        ("TLSv1.2", SslProtocols.Tls12),
        ("TLSv1.3", SslProtocols.Tls13),
    ];

    public static SslProtocols Read(ComponentContext context)
    {
        var include = context.GetList("include-protocols");
        var exclude = context.GetList("exclude-protocols");
        var enabled = SslProtocols.None;
        foreach (var name in include.Count > 0 ? include : Known.Select(k => k.Name))
        {
            var known = Known.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
            if (known.Name is null)
            {
                context.Warning("include-protocols", $"'{name}' cannot be enabled (only TLSv1.2 and TLSv1.3 are); it is ignored");
                continue;
            }
            enabled |= known.Protocol;
        }
        foreach (var name in exclude)
        {
            var known = Known.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
            enabled &= ~known.Protocol;
        }
        if (enabled == SslProtocols.None)
        {
            context.Error(include.Count > 0 ? "include-protocols" : "exclude-protocols", "no TLS version is left enabled (TLSv1.2 or TLSv1.3 needed)");
            return SslProtocols.Tls12 | SslProtocols.Tls13;
        }
        foreach (var key in new[] { "include-cipher-suites", "exclude-cipher-suites" })
        {
            if (context.GetString(key) is not null)
            {
                context.Warning(key, "cipher suites are chosen by the platform's TLS library; this setting is ignored");
            }
        }
        return enabled;
    }
}
