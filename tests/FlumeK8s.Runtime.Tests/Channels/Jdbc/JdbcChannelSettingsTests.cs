using System.Data;
using FlumeK8s.Runtime.Channels.Jdbc;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FlumeK8s.Runtime.Tests.Channels.Jdbc;

public sealed class JdbcChannelSettingsTests
{
    [Fact]
    public void Read_NoProperties_SqliteFileUnderTheAgentsFolderUnbounded()
    {
        var (settings, problems) = Read();
        Assert.Empty(problems.Errors);
        Assert.Equal(JdbcDatabase.Sqlite, settings.Database);
        var file = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
        Assert.EndsWith(Path.Combine(".flume", "jdbc-channel", "a1", "r1", "channel.db"), file);
        Assert.Equal(0, settings.MaximumCapacity);
        Assert.False(settings.IsBounded);
        Assert.Equal(10, settings.MaximumConnections);
        Assert.Equal(IsolationLevel.ReadCommitted, settings.Isolation);
        Assert.True(settings.CreateSchema);
        Assert.Equal("a1.r1", settings.ChannelId);
    }

    [Theory]
    [InlineData("/var/lib/flume/c1.db")]
    [InlineData("jdbc:sqlite:/var/lib/flume/c1.db")]
    [InlineData("Data Source=/var/lib/flume/c1.db")]
    public void Read_SqliteDriverUrl_PathUrlOrConnectionString(string url)
    {
        var (settings, problems) = Read("driver.url=" + url);
        Assert.Empty(problems.Errors);
        Assert.Equal("/var/lib/flume/c1.db", new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
    }

    [Theory]
    [InlineData("driver.url=:memory:", "driver.url", "in-memory")]
    [InlineData("driver.url=Data Source=x.db;Mode=ReadOnly", "driver.url", "ReadOnly")]
    [InlineData("driver.url=Data Source=x.db;Flavour=mint", "driver.url", "not an SQLite connection string")]
    [InlineData("db.password=secret", "db.password", "no password")]
    public void Read_BadSqliteSettings_ErrorNamesTheKey(string property, string key, string message) =>
        AssertRefused(property, key, message);

    [Fact]
    public void Read_PostgresJdbcUrl_TranslatedToNpgsql()
    {
        var (settings, problems) = Read("db.type=POSTGRESQL",
            "driver.url=jdbc:postgresql://db1:5433,db2/flume?user=u&password=p&sslmode=verify-full&ApplicationName=agent",
            "maximum.capacity=5000", "maximum.connections=4", "transaction.isolation=SERIALIZABLE");
        Assert.Empty(problems.Errors.Select(e => e.Message));
        Assert.Equal(JdbcDatabase.PostgreSql, settings.Database);
        var npgsql = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal("db1:5433,db2", npgsql.Host);
        Assert.Equal("flume", npgsql.Database);
        Assert.Equal("u", npgsql.Username);
        Assert.Equal("p", npgsql.Password);
        Assert.Equal(SslMode.VerifyFull, npgsql.SslMode);
        Assert.Equal("agent", npgsql.ApplicationName);
        Assert.Equal(5000, settings.MaximumCapacity);
        Assert.Equal(4, settings.MaximumConnections);
        Assert.Equal(IsolationLevel.Serializable, settings.Isolation);
    }

    [Fact]
    public void Read_PostgresUsernameAndPassword_WinOverTheUrl()
    {
        var (settings, problems) = Read("db.type=postgresql", "driver.url=Host=db;Database=flume;Username=old", "db.username=flume", "db.password=s3cret");
        Assert.Empty(problems.Errors);
        var npgsql = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal("flume", npgsql.Username);
        Assert.Equal("s3cret", npgsql.Password);
        Assert.DoesNotContain("s3cret", settings.ToString());
    }

    [Theory]
    [InlineData("driver.url=jdbc:postgresql://db/flume?prepareThreshold=3", "prepareThreshold")]
    [InlineData("driver.url=jdbc:postgresql:flume", "jdbc:postgresql://host:port/database")]
    [InlineData("driver.url=Host=db;Colour=blue", "neither a jdbc:postgresql:// URL nor an Npgsql connection string")]
    [InlineData("driver.url=Database=flume", "names no host")]
    [InlineData("transaction.isolation=CHAOS", "is not one of")]
    public void Read_BadPostgresSettings_ClearError(string property, string message)
    {
        string[] properties = property.StartsWith("driver.url", StringComparison.Ordinal)
            ? ["db.type=postgresql", property]
            : ["db.type=postgresql", "driver.url=Host=db", property];
        var (_, problems) = Read(properties);
        Assert.Contains(problems.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_PostgresWithoutUrl_Required()
    {
        var (_, problems) = Read("db.type=postgresql");
        Assert.Equal("a1.sources.r1.driver.url", Assert.Single(problems.Errors).Key);
    }

    [Theory]
    [InlineData("db.type=DERBY", "db.type", "Derby")]
    [InlineData("db.type=MYSQL", "db.type", "db.type=postgresql")]
    [InlineData("driver.class=org.apache.derby.jdbc.EmbeddedDriver", "driver.class", "remove driver.class")]
    [InlineData("connection.properties.file=/etc/flume/jdbc.properties", "connection.properties.file", "driver.url")]
    [InlineData("sysprop.user.home=/var/lib/flume", "sysprop.user.home", "Java system property")]
    [InlineData("derby.system.home=/var/lib/derby", "derby.system.home", "Derby is not supported")]
    public void Read_DerbyAndJavaOnlyKeys_RefusedNamingWhatToUse(string property, string key, string message) =>
        AssertRefused(property, key, message);

    [Fact]
    public void Read_FlumeIndexKeys_WarnedAndIgnored()
    {
        var (_, problems) = Read("create.index=true", "create.foreignkey=false", "db.username=sa");
        Assert.Empty(problems.Errors);
        Assert.Equal(3, problems.Warnings.Count);
    }

    [Fact]
    public void Read_TransactionCapacityAboveMaximumCapacity_Refused()
    {
        var (_, problems) = Read("maximum.capacity=10", "transactionCapacity=20");
        Assert.Equal("a1.sources.r1.transactionCapacity", Assert.Single(problems.Errors).Key);
    }

    [Fact]
    public void SameStore_OnlySizesChanged_True()
    {
        var (settings, _) = Read("maximum.capacity=100");
        Assert.True(settings.SameStore(settings with { MaximumCapacity = 200, TransactionCapacity = 5 }));
        Assert.False(settings.SameStore(settings with { ChannelId = "other" }));
    }

    private static void AssertRefused(string property, string key, string message)
    {
        var (_, problems) = Read(property);
        var error = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1." + key, error.Key);
        Assert.Contains(message, error.Message);
    }

    private static (JdbcChannelSettings Settings, ConfigProblems Problems) Read(params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(properties);
        return (JdbcChannelSettings.Read(context, "a1", "r1"), problems);
    }
}
