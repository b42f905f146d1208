using System.Globalization;
using Npgsql;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// Translates a PostgreSQL JDBC URL (<c>jdbc:postgresql://host1[:port][,host2[:port]]/database?key=value&amp;...</c>)
/// into Npgsql settings. Only the URL parameters with an Npgsql equivalent are taken; any other is
/// refused by name rather than silently dropped.
/// </summary>
internal static class PostgresJdbcUrl
{
    public const string Prefix = "jdbc:postgresql:";

    private static readonly Dictionary<string, Action<NpgsqlConnectionStringBuilder, string>> Parameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["user"] = (b, v) => b.Username = v,
        ["password"] = (b, v) => b.Password = v,
        ["sslmode"] = (b, v) => b.SslMode = Enum.Parse<SslMode>(v.Replace("-", "", StringComparison.Ordinal), ignoreCase: true),
        ["ssl"] = (b, v) => b.SslMode = bool.Parse(v) ? SslMode.Require : SslMode.Disable,
        ["sslrootcert"] = (b, v) => b.RootCertificate = v,
        ["sslcert"] = (b, v) => b.SslCertificate = v,
        ["sslkey"] = (b, v) => b.SslKey = v,
        ["ApplicationName"] = (b, v) => b.ApplicationName = v,
        ["connectTimeout"] = (b, v) => b.Timeout = int.Parse(v, CultureInfo.InvariantCulture),
        ["socketTimeout"] = (b, v) => b.CommandTimeout = int.Parse(v, CultureInfo.InvariantCulture),
        ["currentSchema"] = (b, v) => b.SearchPath = v,
        ["targetServerType"] = (b, v) => b.TargetSessionAttributes = v,
        ["tcpKeepAlive"] = (b, v) => b.TcpKeepAlive = bool.Parse(v),
    };

    /// <summary>Fills <paramref name="builder"/>; returns what is wrong with the URL, or null.</summary>
    public static string? TryTranslate(string url, NpgsqlConnectionStringBuilder builder)
    {
        var rest = url[Prefix.Length..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return $"'{url}' is not of the form jdbc:postgresql://host:port/database";
        }
        rest = rest[2..];
        var query = "";
        var questionMark = rest.IndexOf('?');
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }
        var slash = rest.IndexOf('/');
        var hosts = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : "";
        if (hosts.Length == 0)
        {
            return $"'{url}' names no host";
        }
        builder.Host = hosts; // Npgsql takes the same host1:port1,host2:port2 list
        if (database.Length > 0)
        {
            builder.Database = database;
        }
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            var value = equals >= 0 ? Uri.UnescapeDataString(pair[(equals + 1)..]) : "";
            if (!Parameters.TryGetValue(key, out var apply))
            {
                return $"the URL parameter '{key}' has no equivalent here; known: {string.Join(", ", Parameters.Keys)} " +
                    "(or give driver.url as an Npgsql connection string, Key=Value;...)";
            }
            try
            {
                apply(builder, value);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                return $"the URL parameter {key}='{value}' is not valid: {e.Message}";
            }
        }
        return null;
    }
}
