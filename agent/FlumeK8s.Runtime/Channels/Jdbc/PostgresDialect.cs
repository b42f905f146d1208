using System.Data.Common;
using FlumeK8s.Runtime.Events;
using Npgsql;
using NpgsqlTypes;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// A PostgreSQL database: puts go in with binary COPY (one round trip for a whole batch), a
/// session advisory lock keeps a channel id to one process, a transaction-scoped one serializes
/// schema creation between agents starting at once.
/// </summary>
internal sealed class PostgresDialect(string connectionString) : IStoreDialect
{
    // Any 64-bit number unlikely to be used by another application's advisory locks: "FlumeK8s".
    private const long SchemaLockKey = 0x466C756D654B3873;

    // Pooling off: the store keeps its own open connections (bounded by maximum.connections).
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public bool OneWriterAtATime => false;

    public string IdType => "BIGINT";

    public string BytesType => "BYTEA";

    public string TableExistsSql => "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";

    public DbConnection CreateConnection() => new NpgsqlConnection(_connectionString);

    public ValueTask PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("key", SchemaLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IAsyncDisposable> ClaimAsync(string channelId, CancellationToken cancellationToken)
    {
        // The lock lives as long as this session: the server drops it when the process dies.
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@id, 0))", connection);
            command.Parameters.AddWithValue("id", channelId);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                throw new ChannelException($"channel id '{channelId}' is in use by another agent on this database: give each channel.id to one agent");
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask InsertAsync(DbConnection connection, DbTransaction transaction, string channelId, long firstId, List<Event> events, CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        // COPY runs inside the connection's open transaction, so it commits or vanishes with it.
        await using var import = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY {EventTable.Events} (channel, id, headers, body) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < events.Count; i++)
        {
            await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(channelId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await import.WriteAsync(firstId + i, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            if (HeaderJson.Encode(events[i].HeadersOrEmpty, buffer) is { } headers)
            {
                await import.WriteAsync(headers, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await import.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
            await import.WriteAsync(events[i].Body, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }
        await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
