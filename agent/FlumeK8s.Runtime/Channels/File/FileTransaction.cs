using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>A file channel transaction: the shared rules from the base, the log work in the channel.</summary>
internal sealed class FileTransaction(FileChannel channel) : ChannelTransactionBase
{
    private const int NoDeferredTake = 0, TakeAwaitsApply = 1, DisposedBeforeApply = 2;
    private List<Event> _puts = [];
    private int _deferred;

    /// <summary>The events this transaction took, with their log pointers (head first).</summary>
    public List<Slot> Slots { get; } = [];

    /// <summary>Each put event's record offset inside the PUT block being committed.</summary>
    public List<int> RecordOffsets { get; } = [];

    public List<Event> Puts => _puts;

    /// <summary>The PUT block's length once prepared; while set, the transaction holds capacity for its puts.</summary>
    public int HeldLength { get; private set; }

    public bool IsTaking { get; private set; }

    public EventFetcher Fetcher { get; } = new(channel.Readers);

    protected override int TransactionCapacity => channel.TransactionCapacity;

    protected override string ChannelName => channel.Name;

    public void Open()
    {
        HeldLength = 0;
        Slots.Clear();
        RecordOffsets.Clear();
        IsTaking = false;
        Volatile.Write(ref _deferred, NoDeferredTake);
        Reset();
    }

    /// <summary>
    /// A take committed without waiting for its fsync: its slots are needed until the block is
    /// applied, so the object is not reused before then even if disposed (see <see cref="EndDeferredTake"/>).
    /// </summary>
    public void DeferTake() => Volatile.Write(ref _deferred, TakeAwaitsApply);

    /// <summary>A deferred take whose append failed is an ordinary failed commit again.</summary>
    public void CancelDeferredTake() => Volatile.Write(ref _deferred, NoDeferredTake);

    /// <summary>Committed and not yet applied: its room is free already, its events no longer held.</summary>
    public bool IsTakeDeferred => Volatile.Read(ref _deferred) != NoDeferredTake;

    /// <summary>At the take's apply: whether it was deferred, and whether its owner disposed it meanwhile (the caller recycles it).</summary>
    public (bool WasDeferred, bool Recycle) EndDeferredTake()
    {
        var state = Interlocked.Exchange(ref _deferred, NoDeferredTake);
        return (state != NoDeferredTake, state == DisposedBeforeApply);
    }

    /// <summary>Disposed: true if it may be reused now, false if its deferred take is not applied yet.</summary>
    public bool ReleasedByOwner() =>
        Interlocked.CompareExchange(ref _deferred, DisposedBeforeApply, TakeAwaitsApply) != TakeAwaitsApply;

    public long[] TakenPointers()
    {
        var pointers = new long[Slots.Count];
        for (var i = 0; i < pointers.Length; i++)
        {
            pointers[i] = Slots[i].Pointer;
        }
        return pointers;
    }

    public void CopyTakenPointers(List<long> destination)
    {
        foreach (var slot in Slots)
        {
            destination.Add(slot.Pointer);
        }
    }

    public void HoldRoom(int blockLength) => HeldLength = blockLength;

    /// <summary>Stops holding room; true if it did (so the caller gives the capacity back).</summary>
    public bool ReleaseRoom()
    {
        var held = HeldLength > 0;
        HeldLength = 0;
        return held;
    }

    protected override void OnPut(Event @event)
    {
    }

    protected override async ValueTask<bool> OnPreparePutsAsync(List<Event> puts, CancellationToken cancellationToken)
    {
        _puts = puts;
        await channel.PreparePutsAsync(this, puts, cancellationToken).ConfigureAwait(false);
        return true;
    }

    protected override int OnTake(List<Event> destination, int maxEvents)
    {
        IsTaking = true;
        return channel.Take(this, destination, maxEvents);
    }

    protected override ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken) =>
        channel.CommitPutsAsync(this, puts, cancellationToken);

    protected override ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken) =>
        channel.CommitTakesAsync(this);

    protected override void OnRollbackTakes(List<Event> takes) => channel.RollbackTakes(this);

    protected override void OnRollbackPuts(List<Event> puts) => channel.RollbackPuts(this, puts.Count);

    protected override void OnDisposed() => channel.Recycle(this);
}
