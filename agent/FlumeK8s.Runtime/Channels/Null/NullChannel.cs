using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Channels.Null;

/// <summary>
/// A channel that accepts every committed put and discards it: where a multiplexing selector sends
/// the events it filters out, so they are dropped on purpose, counted, and cost nothing further. It
/// is not a buffer: nothing is ever visible to a take, its size and capacity are 0, and a drain
/// never waits on it. Puts still follow the transaction rules (capacity, puts or takes, commit or
/// rollback once), so a source cannot tell it from a channel that keeps its events; only a
/// committed put counts as dropped, a rolled-back one was never accepted. Transactions are pooled
/// and a put only appends to the transaction's reused list, so a dropped event costs no allocation.
/// </summary>
internal sealed class NullChannel : IChannel, IReconfigurableChannel
{
    public const string DiscardCount = "EventDiscardCount";

    private readonly TimeProvider _time;
    private readonly TransactionPool<NullTransaction> _spares = new();
    private NullChannelSettings _settings;

    public NullChannel(string name, NullChannelSettings settings, TimeProvider? time = null)
    {
        Name = name;
        _settings = settings;
        _time = time ?? TimeProvider.System;
        Counter = new ChannelCounter(name, "null", [DiscardCount]);
    }

    public string Name { get; }

    public ChannelCounter Counter { get; }

    public string? UnhealthyReason => null;

    public int TransactionCapacity => Volatile.Read(ref _settings).TransactionCapacity;

    public long Discarded => Counter.Get(DiscardCount);

    public IChannelTransaction BeginTransaction()
    {
        var transaction = _spares.Rent() ?? new NullTransaction(this);
        transaction.Open();
        return transaction;
    }

    /// <summary>Nothing ever arrives for a sink, so it sleeps for the whole wait.</summary>
    public Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken) =>
        Task.Delay(maxWait, _time, cancellationToken);

    public bool TryReconfigure(IChannelSettings settings)
    {
        if (settings is not NullChannelSettings changed)
        {
            return false;
        }
        Volatile.Write(ref _settings, changed);
        return true;
    }

    private sealed class NullTransaction(NullChannel channel) : ChannelTransactionBase
    {
        protected override int TransactionCapacity => channel.TransactionCapacity;

        protected override string ChannelName => channel.Name;

        public void Open() => Reset();

        protected override void OnPut(Event @event)
        {
        }

        protected override int OnTake(List<Event> destination, int maxEvents)
        {
            channel.Counter.AddTakeAttempts(1);
            return 0;
        }

        // Room is unlimited, so holding it always succeeds: the commit that follows cannot be refused.
        protected override ValueTask<bool> OnPreparePutsAsync(List<Event> puts, CancellationToken cancellationToken) => new(true);

        protected override ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken)
        {
            var counter = channel.Counter;
            counter.AddPutAttempts(puts.Count);
            counter.AddPutSuccesses(puts.Count);
            counter.AddExtra(DiscardCount, puts.Count);
            return ValueTask.CompletedTask;
        }

        protected override void OnRollbackPuts(List<Event> puts) => channel.Counter.AddPutAttempts(puts.Count);

        protected override ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override void OnRollbackTakes(List<Event> takes)
        {
        }

        protected override void OnDisposed() => channel._spares.Return(this);
    }
}
