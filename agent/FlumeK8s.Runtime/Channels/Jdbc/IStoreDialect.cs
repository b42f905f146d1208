using System.Data.Common;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>What differs between the databases the channel can use; the SQL they share is in
/// <see cref="EventStore"/> and <see cref="EventSchema"/>.</summary>
internal interface IStoreDialect
{
    /// <summary>
    /// Whether the database lets one writer in at a time (SQLite). The store then queues its write
    /// transactions itself: the provider's own answer to a busy database is to sleep 150 ms and try
    /// again, which would put a put commit and a take commit that meet far apart.
    /// </summary>
    bool OneWriterAtATime { get; }

    /// <summary>A new, closed connection.</summary>
    DbConnection CreateConnection();

    /// <summary>Sets what must hold on every connection before its first statement.</summary>
    ValueTask PrepareAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The column type of a 64-bit row id.</summary>
    string IdType { get; }

    /// <summary>The column type of an event body.</summary>
    string BytesType { get; }

    /// <summary>A query answering 1 when the table named by parameter <c>@name</c> exists, else 0.</summary>
    string TableExistsSql { get; }

    /// <summary>Serializes schema creation between processes starting at once, inside <paramref name="transaction"/>.</summary>
    ValueTask LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Makes this process the only one serving <paramref name="channelId"/> until the result is
    /// disposed: a second agent with the same id would hand out the same rows. Throws
    /// <see cref="ChannelException"/> when another process holds it.
    /// </summary>
    ValueTask<IAsyncDisposable> ClaimAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="events"/> as rows <paramref name="firstId"/>, <paramref name="firstId"/> + 1, ...</summary>
    ValueTask InsertAsync(DbConnection connection, DbTransaction transaction, string channelId, long firstId, List<Event> events, CancellationToken cancellationToken);
}
