using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.Spillable;

/// <summary>
/// A spillable channel transaction: the shared rules from the base; what it took from each store,
/// and in which order, so a rollback can return everything to the head exactly as it was.
/// </summary>
internal sealed class SpillableTransaction(SpillableMemoryChannel channel) : ChannelTransactionBase
{
    private long _putBytes;

    /// <summary>Events taken from memory, head first.</summary>
    public List<Event> MemoryTaken { get; } = [];

    public long MemoryTakenBytes { get; set; }

    /// <summary>The runs this transaction took, in the order it took them.</summary>
    public List<DrainRun> Runs { get; } = [];

    /// <summary>The events in <see cref="Runs"/>.</summary>
    public int Taken { get; private set; }

    /// <summary>The overflow file channel's take transaction, opened on the first take from disk.</summary>
    public IChannelTransaction? OverflowTake { get; set; }

    /// <summary>Memory room a prepared put holds, for its leading events.</summary>
    public int MemoryHeld { get; private set; }

    public long MemoryHeldBytes { get; private set; }

    /// <summary>The overflow file channel's prepared put transaction, for the events memory could not hold.</summary>
    public IChannelTransaction? OverflowPut { get; set; }

    protected override int TransactionCapacity => channel.TransactionCapacity;

    protected override string ChannelName => channel.Name;

    public void Open()
    {
        System.Diagnostics.Debug.Assert(MemoryHeld == 0 && OverflowPut is null, "a finished put released or handed over its room");
        _putBytes = 0;
        Reset();
    }

    public void HoldMemory(int count, long bytes) => (MemoryHeld, MemoryHeldBytes) = (count, bytes);

    /// <summary>Forgets the room held (the caller released it or the events own it now); disposing
    /// the overflow's put transaction rolls it back unless it committed.</summary>
    public void ForgetPuts()
    {
        OverflowPut?.Dispose();
        OverflowPut = null;
        (MemoryHeld, MemoryHeldBytes) = (0, 0);
    }

    public void AddRun(bool inOverflow, int count)
    {
        Taken += count;
        if (Runs.Count > 0 && Runs[^1].InOverflow == inOverflow)
        {
            Runs[^1] = Runs[^1] with { Count = Runs[^1].Count + count };
        }
        else
        {
            Runs.Add(new DrainRun(inOverflow, count));
        }
    }

    /// <summary>Forgets what was taken once it is final or returned, so no event stays referenced.</summary>
    public void ClearTakes()
    {
        OverflowTake?.Dispose();
        OverflowTake = null;
        MemoryTaken.Clear();
        MemoryTakenBytes = 0;
        Runs.Clear();
        Taken = 0;
    }

    protected override void OnPut(Event @event) => _putBytes += @event.Body.Length;

    protected override int OnTake(List<Event> destination, int maxEvents) => channel.Take(this, destination, maxEvents);

    protected override async ValueTask<bool> OnPreparePutsAsync(List<Event> puts, CancellationToken cancellationToken)
    {
        await channel.PreparePutsAsync(this, puts, _putBytes, cancellationToken).ConfigureAwait(false);
        return true;
    }

    protected override ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken) =>
        channel.CommitPutsAsync(this, puts, cancellationToken);

    protected override ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken) =>
        channel.CommitTakesAsync(this, takes.Count, cancellationToken);

    protected override void OnRollbackTakes(List<Event> takes) => channel.RollbackTakes(this);

    protected override void OnRollbackPuts(List<Event> puts)
    {
        channel.ReleasePuts(this);
        channel.Counter.AddPutAttempts(puts.Count);
    }

    protected override void OnDisposed() => channel.Recycle(this);
}
