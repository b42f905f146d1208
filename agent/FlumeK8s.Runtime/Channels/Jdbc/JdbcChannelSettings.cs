using System.Data;
using System.Text;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// The jdbc channel's properties: Flume's names where they still mean something
/// (<c>db.type</c>, <c>driver.url</c>, <c>db.username</c>, <c>db.password</c>, <c>maximum.capacity</c>,
/// <c>maximum.connections</c>, <c>transaction.isolation</c>, <c>create.schema</c>) plus the keys every
/// channel of this agent has (<c>transactionCapacity</c>, <c>keep-alive</c>) and <c>channel.id</c>,
/// the key the channel's rows carry in a database several agents share.
/// </summary>
public sealed record JdbcChannelSettings(
    JdbcDatabase Database,
    string ConnectionString,
    string ChannelId,
    int MaximumCapacity = 0,
    int TransactionCapacity = 10_000,
    int MaximumConnections = 10,
    IsolationLevel Isolation = IsolationLevel.ReadCommitted,
    bool CreateSchema = true,
    TimeSpan? KeepAlive = null) : IChannelSettings
{
    public const int DefaultTransactionCapacity = 10_000;

    public TimeSpan KeepAliveOrDefault => KeepAlive ?? TimeSpan.FromSeconds(3);

    public bool IsBounded => MaximumCapacity > 0;

    /// <summary>Whether only the sizes differ, which a running channel can take in place; a different
    /// database or key is a different channel.</summary>
    public bool SameStore(JdbcChannelSettings other) =>
        Database == other.Database && ConnectionString == other.ConnectionString && ChannelId == other.ChannelId &&
        MaximumConnections == other.MaximumConnections && Isolation == other.Isolation && CreateSchema == other.CreateSchema;

    public static JdbcChannelSettings Read(ComponentContext context, string agentName, string channelName)
    {
        JavaOnlyKeys.Refuse(context);
        var database = ReadDatabase(context);
        var connection = database == JdbcDatabase.Sqlite
            ? SqliteLocation.Read(context, agentName, channelName)
            : PostgresConnection.Read(context);
        var capacity = context.GetInt("maximum.capacity", 0, min: 0);
        // Flume's jdbc channel has no transactionCapacity, so a migrated config with a small
        // maximum.capacity must not fail on a default it never wrote.
        var transactionCapacity = context.GetInt("transactionCapacity", capacity > 0 ? Math.Min(capacity, DefaultTransactionCapacity) : DefaultTransactionCapacity, min: 1);
        if (capacity > 0)
        {
            ChannelSizes.CheckTransactionFits(context, transactionCapacity, capacity, "maximum.capacity", "maximum.capacity");
        }
        return new JdbcChannelSettings(
            database,
            connection,
            context.GetString("channel.id", $"{agentName}.{channelName}"),
            capacity,
            transactionCapacity,
            context.GetInt("maximum.connections", 10, min: 1, max: 1000),
            ReadIsolation(context),
            context.GetBool("create.schema", true),
            TimeSpan.FromSeconds(context.GetInt("keep-alive", 3, min: 0)));
    }

    private static JdbcDatabase ReadDatabase(ComponentContext context)
    {
        var text = context.GetString("db.type");
        switch (text?.ToUpperInvariant())
        {
            case null or "SQLITE":
                return JdbcDatabase.Sqlite;
            case "POSTGRESQL" or "PGSQL" or "POSTGRES":
                return JdbcDatabase.PostgreSql;
            case "DERBY":
                context.Error("db.type", "Derby is a Java database and is not supported: use db.type=sqlite (an embedded file, the default) or db.type=postgresql");
                return JdbcDatabase.Sqlite;
            default:
                context.Error("db.type", $"'{text}' is not supported: use db.type=sqlite (an embedded file, the default) or db.type=postgresql");
                return JdbcDatabase.Sqlite;
        }
    }

    // Flume's names for java.sql.Connection's isolation levels.
    private static IsolationLevel ReadIsolation(ComponentContext context) =>
        context.GetChoice("transaction.isolation", "READ_COMMITTED", "READ_UNCOMMITTED", "READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE") switch
        {
            "READ_UNCOMMITTED" => IsolationLevel.ReadUncommitted,
            "REPEATABLE_READ" => IsolationLevel.RepeatableRead,
            "SERIALIZABLE" => IsolationLevel.Serializable,
            _ => IsolationLevel.ReadCommitted,
        };

    // The connection string may hold a password: keep it out of logs and error messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Database = {Database}, ChannelId = {ChannelId}, MaximumCapacity = {MaximumCapacity}, ");
        builder.Append($"TransactionCapacity = {TransactionCapacity}, MaximumConnections = {MaximumConnections}, ");
        builder.Append($"Isolation = {Isolation}, CreateSchema = {CreateSchema}, KeepAlive = {KeepAliveOrDefault}");
        return true;
    }
}
