using FlumeK8s.Runtime.Configuration;
using Npgsql;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// The PostgreSQL connection string from <c>driver.url</c> (an Npgsql connection string, or a
/// <c>jdbc:postgresql://</c> URL as a migrated Flume config has it) and <c>db.username</c> /
/// <c>db.password</c>, which win over what the URL says.
/// </summary>
internal static class PostgresConnection
{
    public static string Read(ComponentContext context)
    {
        var url = context.Require("driver.url");
        var builder = new NpgsqlConnectionStringBuilder();
        if (url.StartsWith(PostgresJdbcUrl.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            if (PostgresJdbcUrl.TryTranslate(url, builder) is { } problem)
            {
                context.Error("driver.url", problem);
            }
        }
        else if (url.Length > 0)
        {
            try
            {
                builder.ConnectionString = url;
            }
            catch (ArgumentException e)
            {
                context.Error("driver.url", $"neither a jdbc:postgresql:// URL nor an Npgsql connection string: {e.Message}");
            }
        }
        if (context.GetString("db.username") is { } user)
        {
            builder.Username = user;
        }
        if (context.GetString("db.password") is { } password)
        {
            builder.Password = password;
        }
        if (url.Length > 0 && string.IsNullOrEmpty(builder.Host))
        {
            context.Error("driver.url", "names no host: give Host=... (or jdbc:postgresql://host:port/database)");
        }
        return builder.ConnectionString;
    }
}
