using System.Data.Common;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// The channel's rows in the database: one transaction per put commit and per take commit, reads
/// by id range. The channel decides which ids exist; this class only moves rows.
/// </summary>
internal sealed class EventStore : IAsyncDisposable
{
    private const string SelectSql =
        $"SELECT id, headers, body FROM {EventTable.Events} WHERE channel = @channel AND id BETWEEN @first AND @last ORDER BY id";

    private const string DeleteSql =
        $"DELETE FROM {EventTable.Events} WHERE channel = @channel AND id BETWEEN @first AND @last";

    private readonly IStoreDialect _dialect;
    private readonly JdbcChannelSettings _settings;
    private readonly ConnectionPool _pool;
    private readonly SemaphoreSlim? _writer;
    private IAsyncDisposable? _claim;

    public EventStore(IStoreDialect dialect, JdbcChannelSettings settings)
    {
        _dialect = dialect;
        _settings = settings;
        _pool = new ConnectionPool(dialect, _settings.MaximumConnections);
        _writer = dialect.OneWriterAtATime ? new SemaphoreSlim(1, 1) : null;
    }

    /// <summary>Claims the channel id, makes sure of the schema and reads the ids of the rows left
    /// from before, oldest first, with the id the next put starts at.</summary>
    public async Task<(RowRuns Rows, long NextId)> OpenAsync(CancellationToken cancellationToken)
    {
        _claim = await _dialect.ClaimAsync(_settings.ChannelId, cancellationToken).ConfigureAwait(false);
        var connection = await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
        var healthy = false;
        try
        {
            await EventSchema.EnsureAsync(connection, _dialect, _settings.CreateSchema, _settings.Isolation, cancellationToken).ConfigureAwait(false);
            var rows = new RowRuns();
            var nextId = 1L;
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT id FROM {EventTable.Events} WHERE channel = @channel ORDER BY id";
                EventSchema.AddParameter(command, "@channel", _settings.ChannelId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = reader.GetInt64(0);
                    rows.AddLast(new RowRun(id, 1));
                    nextId = id + 1;
                }
            }
            healthy = true;
            return (rows, nextId);
        }
        finally
        {
            _pool.Return(connection, healthy);
        }
    }

    public ValueTask InsertAsync(long firstId, List<Event> events, CancellationToken cancellationToken) =>
        InTransactionAsync(static (store, connection, transaction, state, token) =>
            store._dialect.InsertAsync(connection, transaction, store._settings.ChannelId, state.FirstId, state.Events, token),
            (FirstId: firstId, Events: events), cancellationToken);

    public ValueTask DeleteAsync(List<RowRun> runs, CancellationToken cancellationToken) =>
        InTransactionAsync(static async (store, connection, transaction, runs, token) =>
        {
            await using var command = store.RangeCommand(connection, DeleteSql);
            command.Transaction = transaction;
            foreach (var run in runs)
            {
                command.Parameters[1].Value = run.First;
                command.Parameters[2].Value = run.Last;
                await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
        }, runs, cancellationToken);

    /// <summary>Appends the events of <paramref name="runs"/> to <paramref name="destination"/> in id
    /// order; returns how many rows there were (fewer than the ids only after a commit whose outcome
    /// the database did not report, see the README).</summary>
    public int Read(List<RowRun> runs, List<Event> destination)
    {
        var connection = _pool.Rent();
        var healthy = false;
        try
        {
            var read = 0;
            using var command = RangeCommand(connection, SelectSql);
            foreach (var run in runs)
            {
                command.Parameters[1].Value = run.First;
                command.Parameters[2].Value = run.Last;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var headers = reader.IsDBNull(1) ? null : HeaderJson.Decode(reader.GetString(1));
                    destination.Add(new Event(reader.GetFieldValue<byte[]>(2), headers));
                    read++;
                }
            }
            healthy = true;
            return read;
        }
        finally
        {
            _pool.Return(connection, healthy);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync().ConfigureAwait(false);
        if (_claim is not null)
        {
            await _claim.DisposeAsync().ConfigureAwait(false);
            _claim = null;
        }
    }

    private DbCommand RangeCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        EventSchema.AddParameter(command, "@channel", _settings.ChannelId);
        EventSchema.AddParameter(command, "@first", 0L);
        EventSchema.AddParameter(command, "@last", 0L);
        return command;
    }

    private async ValueTask InTransactionAsync<TState>(Func<EventStore, DbConnection, DbTransaction, TState, CancellationToken, ValueTask> work, TState state, CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        DbConnection connection;
        try
        {
            connection = await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _writer?.Release();
            throw;
        }
        var healthy = false;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(_settings.Isolation, cancellationToken).ConfigureAwait(false);
            await work(this, connection, transaction, state, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            healthy = true;
        }
        finally
        {
            _pool.Return(connection, healthy);
            _writer?.Release();
        }
    }
}
