using System.Data.Common;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// A channel whose events are rows in a database: an embedded SQLite file or a PostgreSQL server.
/// A commit is one database transaction, so what a commit acknowledged is on disk. Which rows are
/// queued, and in what order, is kept here in memory as runs of ids; a take reads its rows and
/// deletes them only when it commits, so the rows of takes that never committed (a rollback, a
/// crash) are still in the table: a rollback puts their ids back at the head, a restart finds them
/// there. The schema and the recovery rules are in README.md beside this file.
/// </summary>
public sealed partial class JdbcChannel : IChannel, IReconfigurableChannel
{
    private readonly object _gate = new();
    private readonly AsyncSignal _spaceFreed = new();
    private readonly AsyncSignal _eventsAdded = new();
    private readonly TransactionPool<JdbcTransaction> _spares = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private JdbcChannelSettings _settings;
    private EventStore? _store;
    private RowRuns _rows = new();
    private long _nextId;
    private long _reserved;          // queued + taken by open transactions + held by prepared puts
    private long _takenUncommitted;
    private string? _notServing = "not started"; // then null while open, then "closed"
    private string? _failure;                    // why the last start failed

    public JdbcChannel(string name, JdbcChannelSettings settings, TimeProvider? time = null, ILoggerFactory? logs = null)
    {
        Name = name;
        _settings = settings;
        _time = time ?? TimeProvider.System;
        _logger = (logs ?? NullLoggerFactory.Instance).CreateLogger<JdbcChannel>();
        Counter = new ChannelCounter(name, "jdbc");
        Counter.SetCapacity(settings.MaximumCapacity);
    }

    public string Name { get; }

    public ChannelCounter Counter { get; }

    public string? UnhealthyReason => Volatile.Read(ref _failure) ?? Volatile.Read(ref _notServing);

    /// <summary>A channel whose database could not be reached at start is opened again by the host
    /// (with a growing interval) until it can be.</summary>
    public bool NeedsReopen => Volatile.Read(ref _failure) is not null && Volatile.Read(ref _notServing) != "closed";

    public long EventsHeld
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count + _takenUncommitted;
            }
        }
    }

    public int TransactionCapacity => _settings.TransactionCapacity;

    public IChannelTransaction BeginTransaction()
    {
        var transaction = _spares.Rent() ?? new JdbcTransaction(this);
        transaction.Open();
        return transaction;
    }

    public Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken) =>
        _eventsAdded.WaitUnlessAsync(_gate, () => _rows.Count > 0, maxWait, _time, cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var store = new EventStore(CreateDialect(_settings), _settings);
        try
        {
            var (rows, nextId) = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _rows = rows;
                _nextId = nextId;
                _reserved = rows.Count;
                _takenUncommitted = 0;
                Counter.SetSize(rows.Count);
            }
            _store = store;
            Volatile.Write(ref _failure, null);
            Volatile.Write(ref _notServing, null);
            LogOpened(_logger, Name, _settings.Database, rows.Count);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            // Like a file channel on a bad disk: the channel stays closed and says why in /readyz,
            // the agent keeps serving the rest, and the host tries again later.
            await store.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _failure, $"failed to start: {e.Message}");
            LogStartFailed(_logger, Name, e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _notServing, "closed");
        var store = Interlocked.Exchange(ref _store, null);
        if (store is not null)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    public bool TryReconfigure(IChannelSettings settings)
    {
        if (settings is not JdbcChannelSettings jdbc || !jdbc.SameStore(_settings))
        {
            return false;
        }
        lock (_gate)
        {
            _settings = jdbc;
        }
        Counter.SetCapacity(jdbc.MaximumCapacity);
        _spaceFreed.Pulse();
        return true;
    }

    internal JdbcChannelSettings Settings => _settings;

    internal async ValueTask ReserveAsync(int count, CancellationToken cancellationToken)
    {
        Serving();
        var keepAlive = _settings.KeepAliveOrDefault;
        if (!await _spaceFreed.WaitUntilAsync(_gate, static s => s.Channel.TryReserve(s.Count), (Channel: this, Count: count), keepAlive, _time, cancellationToken).ConfigureAwait(false))
        {
            throw new ChannelFullException(
                $"Channel {Name} is full: no room for {count} events within keep-alive {keepAlive.TotalSeconds}s " +
                $"(maximum.capacity {_settings.MaximumCapacity} events); sinks are not keeping up with sources");
        }
    }

    internal void Unreserve(int count)
    {
        lock (_gate)
        {
            _reserved -= count;
        }
        _spaceFreed.Pulse();
    }

    /// <summary>Writes the puts (room already reserved) in one database transaction, then queues them.</summary>
    internal async ValueTask CommitPutsAsync(List<Event> puts, CancellationToken cancellationToken)
    {
        var store = Serving();
        // Ids are handed out before the write, so concurrent commits never collide; a failed
        // commit leaves a gap, which costs nothing.
        var firstId = Interlocked.Add(ref _nextId, puts.Count) - puts.Count;
        try
        {
            await store.InsertAsync(firstId, puts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw new ChannelException($"Channel {Name}: writing {puts.Count} events to {_settings.Database} failed: {e.Message}", e);
        }
        lock (_gate)
        {
            _rows.AddLast(new RowRun(firstId, puts.Count));
            Counter.SetSize(_rows.Count);
        }
        Counter.AddPutAttempts(puts.Count);
        Counter.AddPutSuccesses(puts.Count);
        _eventsAdded.Pulse();
    }

    /// <summary>Moves up to <paramref name="max"/> queued ids into <paramref name="runs"/> and reads
    /// their events into <paramref name="destination"/>; returns how many ids were taken and how many events read.</summary>
    internal (int Ids, int Events) Take(List<RowRun> runs, List<Event> destination, int max)
    {
        var store = Serving();
        var start = runs.Count;
        int ids;
        lock (_gate)
        {
            ids = _rows.TakeFirst(max, runs);
            _takenUncommitted += ids;
            Counter.SetSize(_rows.Count);
        }
        if (ids == 0)
        {
            return (0, 0);
        }
        var taken = runs.GetRange(start, runs.Count - start);
        var before = destination.Count;
        int read;
        try
        {
            read = store.Read(taken, destination);
        }
        catch (Exception e)
        {
            // Whatever failed, the ids go back to the head: the transaction never saw them.
            destination.RemoveRange(before, destination.Count - before);
            ReturnTakes(taken, ids);
            runs.RemoveRange(start, taken.Count);
            if (IsStoreFailure(e) || e is InvalidDataException or System.Text.Json.JsonException)
            {
                throw new ChannelException($"Channel {Name}: reading events from {_settings.Database} failed: {e.Message}", e);
            }
            throw;
        }
        if (read < ids)
        {
            LogMissingRows(_logger, Name, ids, read);
        }
        return (ids, read);
    }

    internal async ValueTask CommitTakesAsync(List<RowRun> runs, int ids, int events, CancellationToken cancellationToken)
    {
        if (ids == 0)
        {
            return;
        }
        var store = Serving();
        try
        {
            await store.DeleteAsync(runs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw new ChannelException($"Channel {Name}: deleting {events} taken events from {_settings.Database} failed: {e.Message}", e);
        }
        lock (_gate)
        {
            _reserved -= ids;
            _takenUncommitted -= ids;
        }
        Counter.AddTakeSuccesses(events);
        _spaceFreed.Pulse();
    }

    internal void ReturnTakes(List<RowRun> runs, int ids)
    {
        lock (_gate)
        {
            _rows.AddFirst(runs);
            _takenUncommitted -= ids;
            Counter.SetSize(_rows.Count);
        }
        _eventsAdded.Pulse();
    }

    internal void Recycle(JdbcTransaction transaction) => _spares.Return(transaction);

    // Under _gate (see AsyncSignal.WaitUntilAsync). Unbounded (maximum.capacity 0) still counts.
    private bool TryReserve(int count)
    {
        if (_settings.IsBounded && _reserved + count > _settings.MaximumCapacity)
        {
            return false;
        }
        _reserved += count;
        return true;
    }

    private EventStore Serving() =>
        Volatile.Read(ref _store) ?? throw new ChannelException($"Channel {Name} is not serving: {UnhealthyReason ?? "closed"}");

    private static IStoreDialect CreateDialect(JdbcChannelSettings settings) => settings.Database switch
    {
        JdbcDatabase.PostgreSql => new PostgresDialect(settings.ConnectionString),
        _ => new SqliteDialect(settings.ConnectionString),
    };

    // What a database that is down, refuses us or holds something we cannot read looks like; a
    // programming error (an InvalidOperationException from misuse) is not one of them.
    private static bool IsStoreFailure(Exception e) =>
        e is DbException or ChannelException or IOException or UnauthorizedAccessException or TimeoutException or System.Net.Sockets.SocketException;
}
