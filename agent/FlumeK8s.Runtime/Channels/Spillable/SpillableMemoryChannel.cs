using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Channels.Spillable;

/// <summary>
/// Memory while the backlog is small, disk when it grows (Flume's SpillableMemoryChannel, Meituan's
/// DualChannel). Puts go to an in-memory ring while it has room (memoryCapacity events, byteCapacity
/// bytes); the rest overflow to an embedded <see cref="FileChannel"/>. A <see cref="DrainOrder"/>
/// records which store holds the next events, so takes return events in put order across both.
/// <para>
/// Durability is split: overflowed events are in the file channel's log and survive a crash or a
/// stop; events in memory are lost when the process ends, by design. On start the channel holds
/// exactly what the overflow store recovered. README.md in this folder has the details.
/// </para>
/// </summary>
public sealed partial class SpillableMemoryChannel : IChannel, IReconfigurableChannel
{
    public const string MemorySize = "MemorySize";
    public const string OverflowSize = "OverflowSize";

    private readonly object _gate = new();
    private readonly EventDeque _memory;
    private readonly DrainOrder _order = new();
    private readonly AsyncSignal _memoryFreed = new();
    private readonly AsyncSignal _eventsAdded = new();
    private readonly SemaphoreSlim _spillGate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FileChannel? _overflow;
    private SpillableMemoryChannelSettings _settings;
    private long _memoryReserved; // queued + taken by open transactions + held by prepared puts
    private long _memoryBytes;
    private long _takenUncommitted; // from both stores, by open take transactions
    private bool _spilling;       // the last put overflowed: the next ones do not wait overflowTimeout again
    private readonly TransactionPool<SpillableTransaction> _spares = new();

    public SpillableMemoryChannel(string name, SpillableMemoryChannelSettings settings, TimeProvider time, ILoggerFactory logs, IStorage? storage = null)
    {
        Name = name;
        _settings = WithByteCapacity(settings);
        _time = time;
        _logger = logs.CreateLogger<SpillableMemoryChannel>();
        _memory = new EventDeque(Math.Min(settings.MemoryCapacity, 4096));
        if (settings.OverflowEnabled)
        {
            _overflow = new FileChannel($"{name}.overflow", settings.OverflowStore, time, logs, storage);
        }
        Counter = new ChannelCounter(name, "spillablememory", [MemorySize, OverflowSize]);
        Counter.SetCapacity(settings.Capacity);
    }

    public string Name { get; }

    /// <summary>The whole channel's counter. The overflow file channel's own counter is not
    /// exported; how the backlog splits between the stores is in <see cref="MemorySize"/> and
    /// <see cref="OverflowSize"/>, and the overflow's failures show in <see cref="UnhealthyReason"/>.</summary>
    public ChannelCounter Counter { get; }

    /// <summary>The overflow store's reason, if it cannot serve: then events on disk (and every event
    /// put after them) cannot be taken until a restart recovers the log.</summary>
    public string? UnhealthyReason => _overflow?.UnhealthyReason is { } reason ? $"overflow store: {reason}" : null;

    public long EventsHeld
    {
        get
        {
            lock (_gate)
            {
                return _order.Total + _takenUncommitted;
            }
        }
    }

    public SpillableMemoryChannelSettings Settings => _settings;

    public int TransactionCapacity => _settings.TransactionCapacity;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_overflow is null)
        {
            return;
        }
        await _overflow.StartAsync(cancellationToken).ConfigureAwait(false);
        int recovered;
        lock (_gate)
        {
            // Memory starts empty, so the overflow's recovered queue is the whole channel, in its order.
            recovered = (int)_overflow.Counter.Size;
            _order.Append(inOverflow: true, recovered);
            UpdateSizes();
        }
        LogRecovered(_logger, Name, recovered);
        _eventsAdded.Pulse();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        int inMemory;
        lock (_gate)
        {
            inMemory = _order.MemoryCount;
        }
        if (inMemory > 0)
        {
            LogMemoryLost(_logger, Name, inMemory);
        }
        if (_overflow is not null)
        {
            await _overflow.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public IChannelTransaction BeginTransaction()
    {
        var transaction = _spares.Rent() ?? new SpillableTransaction(this);
        transaction.Open();
        return transaction;
    }

    public Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken) =>
        _eventsAdded.WaitUnlessAsync(_gate, () => _order.Total > 0, maxWait, _time, cancellationToken);

    /// <summary>Sizes and timeouts change in place; turning the overflow on or off, or moving its directories, does not.</summary>
    public bool TryReconfigure(IChannelSettings settings)
    {
        if (settings is not SpillableMemoryChannelSettings spillable || spillable.OverflowEnabled != _settings.OverflowEnabled
            || _overflow is not null && !_overflow.TryReconfigure(spillable.OverflowStore))
        {
            return false;
        }
        lock (_gate)
        {
            _settings = WithByteCapacity(spillable);
        }
        Counter.SetCapacity(spillable.Capacity);
        _memoryFreed.Pulse();
        return true;
    }

    internal void Recycle(SpillableTransaction transaction) => _spares.Return(transaction);

    private static SpillableMemoryChannelSettings WithByteCapacity(SpillableMemoryChannelSettings settings) =>
        settings.ByteCapacity > 0 ? settings : settings with { ByteCapacity = MemoryChannelSettings.DefaultByteCapacity() };

    // Under _gate. The memory ring and the drain order always agree on how many events are in memory.
    private void UpdateSizes()
    {
        System.Diagnostics.Debug.Assert(_order.MemoryCount == _memory.Count);
        Counter.SetSize(_order.Total);
        Counter.SetExtra(MemorySize, _order.MemoryCount);
        Counter.SetExtra(OverflowSize, _order.OverflowCount);
    }
}
