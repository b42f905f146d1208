using System.Collections.Concurrent;
using System.Data.Common;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// At most <c>maximum.connections</c> open connections, kept open between uses so a commit does
/// not pay a connect (PostgreSQL) or the per-connection pragmas (SQLite). A connection that saw an
/// error is closed rather than reused: after a failed statement its state is not worth guessing.
/// </summary>
internal sealed class ConnectionPool(IStoreDialect dialect, int size) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(size, size);
    private readonly ConcurrentBag<DbConnection> _idle = [];
    private volatile bool _disposed;

    public async ValueTask<DbConnection> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_idle.TryTake(out var idle))
            {
                return idle;
            }
            var connection = dialect.CreateConnection();
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await dialect.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>For the take path, which is synchronous by contract.</summary>
    public DbConnection Rent()
    {
        _slots.Wait();
        try
        {
            if (_idle.TryTake(out var idle))
            {
                return idle;
            }
            var connection = dialect.CreateConnection();
            try
            {
                connection.Open();
                // Completes synchronously for SQLite and does nothing for PostgreSQL.
                dialect.PrepareAsync(connection, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    public void Return(DbConnection connection, bool healthy)
    {
        if (healthy && !_disposed)
        {
            _idle.Add(connection);
        }
        else
        {
            connection.Dispose();
        }
        _slots.Release();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
