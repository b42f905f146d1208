using FlumeK8s.Runtime.Configuration;
using Microsoft.Data.Sqlite;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// Where an SQLite channel keeps its file: <c>driver.url</c> as a path, a <c>jdbc:sqlite:</c> URL
/// or a connection string (<c>Data Source=...</c>); by default a file under the agent's
/// <c>~/.flume/jdbc-channel</c>, beside the file channel's default folders.
/// </summary>
internal static class SqliteLocation
{
    private const string JdbcPrefix = "jdbc:sqlite:";

    public static string Read(ComponentContext context, string agentName, string channelName)
    {
        var url = context.GetString("driver.url");
        if (context.GetString("db.username") is not null)
        {
            context.Warning("db.username", "ignored: an SQLite file has no users");
        }
        if (context.GetString("db.password") is not null)
        {
            context.Error("db.password", "an SQLite file has no password (and is not encrypted): remove db.password, or use db.type=postgresql");
        }
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = url switch
            {
                null => new SqliteConnectionStringBuilder { DataSource = DefaultPath(agentName, channelName) },
                _ when url.StartsWith(JdbcPrefix, StringComparison.OrdinalIgnoreCase) => new SqliteConnectionStringBuilder { DataSource = url[JdbcPrefix.Length..] },
                _ when url.Contains('=') => new SqliteConnectionStringBuilder(url),
                _ => new SqliteConnectionStringBuilder { DataSource = url },
            };
        }
        catch (ArgumentException e)
        {
            context.Error("driver.url", $"not an SQLite connection string: {e.Message}");
            return "";
        }
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            context.Error("driver.url", "the jdbc channel needs an SQLite file (an in-memory database would lose every event on restart)");
        }
        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            context.Error("driver.url", "Mode=ReadOnly: the channel writes its events to the file");
        }
        return builder.ConnectionString;
    }

    private static string DefaultPath(string agentName, string channelName)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".flume", "jdbc-channel", agentName, channelName, "channel.db");
    }
}
