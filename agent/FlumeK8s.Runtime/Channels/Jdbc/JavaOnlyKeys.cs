using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// Flume's jdbc channel keys that only meant something to a JVM or to Derby. Each is refused with
/// what to write instead, so a migrated config fails once, clearly, rather than running on a
/// database the user did not mean.
/// </summary>
internal static class JavaOnlyKeys
{
    public static void Refuse(ComponentContext context)
    {
        if (context.Contains("driver.class"))
        {
            context.GetString("driver.class");
            context.Error("driver.class", "names a Java JDBC driver; here the driver follows from db.type (sqlite or postgresql): remove driver.class");
        }
        if (context.Contains("connection.properties.file"))
        {
            context.GetString("connection.properties.file");
            context.Error("connection.properties.file",
                "JDBC connection properties files are Java's: put the settings into driver.url (for PostgreSQL an Npgsql connection string, Key=Value;...)");
        }
        foreach (var key in context.GetPrefixed("sysprop.").Keys)
        {
            context.Error("sysprop." + key, "sets a Java system property and there is no JVM: remove it (the SQLite file's place is driver.url)");
        }
        foreach (var key in context.GetPrefixed("derby").Keys)
        {
            context.Error("derby" + key, "Derby is not supported: use db.type=sqlite (the default) or db.type=postgresql and remove the derby keys");
        }
        foreach (var key in (string[])["create.index", "create.foreignkey"])
        {
            if (context.GetString(key) is not null)
            {
                context.Warning(key, "ignored: the channel's schema always has its one index (the primary key) and no foreign key");
            }
        }
    }
}
