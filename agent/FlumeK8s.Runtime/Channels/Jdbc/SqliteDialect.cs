using System.Data.Common;
using FlumeK8s.Runtime.Events;
using Microsoft.Data.Sqlite;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// An SQLite file in WAL mode with <c>synchronous=FULL</c>: a commit returns only after its WAL
/// frames are fsynced, so a committed event survives the process and the machine dying.
/// </summary>
internal sealed class SqliteDialect(string connectionString) : IStoreDialect
{
    // Pooling off: the store keeps its own open connections, and a stopped channel must let go of the file.
    private readonly string _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public string DataSource { get; } = new SqliteConnectionStringBuilder(connectionString).DataSource;

    public bool OneWriterAtATime => true;

    public string IdType => "INTEGER";

    public string BytesType => "BLOB";

    public string TableExistsSql => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";

    public DbConnection CreateConnection()
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(DataSource));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        return new SqliteConnection(_connectionString);
    }

    public async ValueTask PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // journal_mode is kept in the file; synchronous is per connection. WAL lets takes read while a put writes.
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Creating tables takes SQLite's write lock, which already serializes writers.
    public ValueTask LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<IAsyncDisposable> ClaimAsync(string channelId, CancellationToken cancellationToken)
    {
        var path = $"{Path.GetFullPath(DataSource)}.{Sanitize(channelId)}.lock";
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) that the kernel drops when the process dies.
            return new(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new ChannelException($"channel id '{channelId}' in {DataSource} is in use by another channel or process (lock {path}: {e.Message})", e);
        }
    }

    // SQLite's calls are synchronous underneath; the async forms would only add overhead per row.
    public ValueTask InsertAsync(DbConnection connection, DbTransaction transaction, string channelId, long firstId, List<Event> events, CancellationToken cancellationToken)
    {
        using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO {EventTable.Events} (channel, id, headers, body) VALUES (@channel, @id, @headers, @body)";
        command.Parameters.AddWithValue("@channel", channelId);
        var id = command.Parameters.Add("@id", SqliteType.Integer);
        var headers = command.Parameters.Add("@headers", SqliteType.Text);
        var body = command.Parameters.Add("@body", SqliteType.Blob);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        for (var i = 0; i < events.Count; i++)
        {
            id.Value = firstId + i;
            headers.Value = (object?)HeaderJson.Encode(events[i].HeadersOrEmpty, buffer) ?? DBNull.Value;
            body.Value = events[i].Body;
            command.ExecuteNonQuery();
        }
        return ValueTask.CompletedTask;
    }

    private static string Sanitize(string channelId) =>
        string.Concat(channelId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
