using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Channels.Memory;

/// <summary>
/// The fastest channel: a ring of events under one lock, bounded by event count and body bytes.
/// Capacity counts queued events plus events taken by open transactions, as in Flume, so a
/// rollback always has room to put them back. Its contents are lost if the process dies.
/// </summary>
public sealed class MemoryChannel : IChannel, IReconfigurableChannel
{
    private readonly object _gate = new();
    private readonly EventDeque _queue;
    private readonly AsyncSignal _spaceFreed = new();
    private readonly AsyncSignal _eventsAdded = new();
    private readonly TimeProvider _time;
    private MemoryChannelSettings _settings;
    private long _reservedEvents; // queued + taken by open transactions + held by prepared puts
    private long _reservedBytes;
    private long _takenUncommitted;
    private readonly TransactionPool<MemoryTransaction> _spares = new();

    public MemoryChannel(string name, MemoryChannelSettings settings, TimeProvider? time = null)
    {
        Name = name;
        _settings = settings.ByteCapacity > 0 ? settings : settings with { ByteCapacity = MemoryChannelSettings.DefaultByteCapacity() };
        _time = time ?? TimeProvider.System;
        _queue = new EventDeque(Math.Min(settings.Capacity, 4096));
        Counter = new ChannelCounter(name, "memory");
        Counter.SetCapacity(settings.Capacity);
    }

    public string Name { get; }

    public ChannelCounter Counter { get; }

    public string? UnhealthyReason => null;

    public long EventsHeld
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count + _takenUncommitted;
            }
        }
    }

    public MemoryChannelSettings Settings => _settings;

    public int TransactionCapacity => _settings.TransactionCapacity;

    public IChannelTransaction BeginTransaction()
    {
        var transaction = _spares.Rent() ?? new MemoryTransaction(this);
        transaction.Open();
        return transaction;
    }

    public Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken) =>
        _eventsAdded.WaitUnlessAsync(_gate, () => _queue.Count > 0, maxWait, _time, cancellationToken);

    public bool TryReconfigure(IChannelSettings settings)
    {
        if (settings is not MemoryChannelSettings memory)
        {
            return false;
        }
        lock (_gate)
        {
            _settings = memory;
        }
        Counter.SetCapacity(memory.Capacity);
        _spaceFreed.Pulse();
        return true;
    }

    private async ValueTask ReserveAsync(int count, long bytes, CancellationToken cancellationToken)
    {
        var keepAlive = _settings.KeepAliveOrDefault;
        if (!await _spaceFreed.WaitUntilAsync(_gate, static s => s.Channel.TryReserve(s.Count, s.Bytes), (Channel: this, Count: count, Bytes: bytes), keepAlive, _time, cancellationToken).ConfigureAwait(false))
        {
            throw new ChannelFullException(
                $"Channel {Name} is full: no room for {count} events within keep-alive {keepAlive.TotalSeconds}s " +
                $"(capacity {_settings.Capacity} events, byteCapacity {_settings.ByteCapacity}); sinks are not keeping up with sources");
        }
    }

    // Under _gate (see AsyncSignal.WaitUntilAsync).
    private bool TryReserve(int count, long bytes)
    {
        if (_reservedEvents + count > _settings.Capacity || _reservedBytes + bytes > _settings.UsableBytes)
        {
            return false;
        }
        _reservedEvents += count;
        _reservedBytes += bytes;
        return true;
    }

    private void Unreserve(int count, long bytes)
    {
        lock (_gate)
        {
            _reservedEvents -= count;
            _reservedBytes -= bytes;
        }
        _spaceFreed.Pulse();
    }

    // The room was reserved by the prepare, so this cannot fail.
    private void AddReserved(List<Event> puts)
    {
        lock (_gate)
        {
            _queue.AddLast(puts);
            Counter.SetSize(_queue.Count);
        }
        Counter.AddPutAttempts(puts.Count);
        Counter.AddPutSuccesses(puts.Count);
        _eventsAdded.Pulse();
    }

    private int Take(List<Event> destination, int maxEvents)
    {
        lock (_gate)
        {
            var taken = _queue.RemoveFirst(destination, maxEvents);
            _takenUncommitted += taken;
            Counter.SetSize(_queue.Count);
            return taken;
        }
    }

    private void CommitTakes(int count, long bytes)
    {
        lock (_gate)
        {
            _reservedEvents -= count;
            _reservedBytes -= bytes;
            _takenUncommitted -= count;
        }
        Counter.AddTakeSuccesses(count);
        _spaceFreed.Pulse();
    }

    private void ReturnTakes(List<Event> takes)
    {
        lock (_gate)
        {
            _queue.AddFirst(takes);
            _takenUncommitted -= takes.Count;
            Counter.SetSize(_queue.Count);
        }
        _eventsAdded.Pulse();
    }

    private void Recycle(MemoryTransaction transaction) => _spares.Return(transaction);

    private sealed class MemoryTransaction(MemoryChannel channel) : ChannelTransactionBase
    {
        private long _bytes;
        private bool _holdsRoom;

        protected override int TransactionCapacity => channel.TransactionCapacity;

        protected override string ChannelName => channel.Name;

        public void Open()
        {
            _bytes = 0;
            _holdsRoom = false;
            Reset();
        }

        protected override void OnPut(Event @event) => _bytes += @event.Body.Length;

        protected override async ValueTask<bool> OnPreparePutsAsync(List<Event> puts, CancellationToken cancellationToken)
        {
            await channel.ReserveAsync(puts.Count, _bytes, cancellationToken).ConfigureAwait(false);
            _holdsRoom = true;
            return true;
        }

        protected override void OnRollbackPuts(List<Event> puts)
        {
            if (_holdsRoom)
            {
                _holdsRoom = false;
                channel.Unreserve(puts.Count, _bytes);
            }
            channel.Counter.AddPutAttempts(puts.Count);
        }

        protected override int OnTake(List<Event> destination, int maxEvents)
        {
            var start = destination.Count;
            var taken = channel.Take(destination, maxEvents);
            for (var i = start; i < start + taken; i++)
            {
                _bytes += destination[i].Body.Length;
            }
            channel.Counter.AddTakeAttempts(taken < maxEvents ? taken + 1 : taken);
            return taken;
        }

        protected override ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken)
        {
            channel.AddReserved(puts);
            _holdsRoom = false;
            return ValueTask.CompletedTask;
        }

        protected override ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken)
        {
            channel.CommitTakes(takes.Count, _bytes);
            return ValueTask.CompletedTask;
        }

        protected override void OnRollbackTakes(List<Event> takes) => channel.ReturnTakes(takes);

        protected override void OnDisposed() => channel.Recycle(this);
    }
}
