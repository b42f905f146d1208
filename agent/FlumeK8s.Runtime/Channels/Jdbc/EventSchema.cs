using System.Data;
using System.Data.Common;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// Creates the channel's tables when allowed (<c>create.schema</c>) and checks the schema version
/// recorded in the database: a version this code does not know is refused before a row is read.
/// </summary>
internal static class EventSchema
{
    public static async ValueTask EnsureAsync(DbConnection connection, IStoreDialect dialect, bool create, IsolationLevel isolation, CancellationToken cancellationToken)
    {
        if (create)
        {
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
            await dialect.LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, CreateTablesSql(dialect), withComponent: false, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO {EventTable.Versions} (component, version) VALUES (@component, {EventTable.SchemaVersion}) ON CONFLICT (component) DO NOTHING",
                withComponent: true, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var table in (string[])[EventTable.Versions, EventTable.Events])
        {
            if (!await TableExistsAsync(connection, dialect, table, cancellationToken).ConfigureAwait(false))
            {
                throw new ChannelException($"the table {table} does not exist and create.schema is false: " +
                    "create the tables as Channels/Jdbc/README.md shows, or set create.schema = true");
            }
        }
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version FROM {EventTable.Versions} WHERE component = @component";
        AddParameter(command, "@component", EventTable.Component);
        var version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (version is null or DBNull)
        {
            throw new ChannelException($"{EventTable.Versions} records no version for '{EventTable.Component}' and create.schema is false: " +
                $"insert ('{EventTable.Component}', {EventTable.SchemaVersion}) once the tables match Channels/Jdbc/README.md, or set create.schema = true");
        }
        var found = Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture);
        if (found != EventTable.SchemaVersion)
        {
            throw new ChannelException(found > EventTable.SchemaVersion
                ? $"the database holds schema version {found} of the jdbc channel, newer than this agent's ({EventTable.SchemaVersion}): run the newer agent that wrote it"
                : $"the database records schema version {found} of the jdbc channel, which never existed (this agent's is {EventTable.SchemaVersion})");
        }
    }

    /// <summary>The tables, created if absent; shown in README.md beside this file.</summary>
    public static string CreateTablesSql(IStoreDialect dialect) =>
        $"""
        CREATE TABLE IF NOT EXISTS {EventTable.Versions} (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS {EventTable.Events} (
            channel TEXT NOT NULL, id {dialect.IdType} NOT NULL, headers TEXT, body {dialect.BytesType} NOT NULL,
            PRIMARY KEY (channel, id));
        """;

    public static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async ValueTask<bool> TableExistsAsync(DbConnection connection, IStoreDialect dialect, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = dialect.TableExistsSql;
        AddParameter(command, "@name", table);
        var count = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static async ValueTask ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, bool withComponent, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (withComponent)
        {
            AddParameter(command, "@component", EventTable.Component);
        }
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
