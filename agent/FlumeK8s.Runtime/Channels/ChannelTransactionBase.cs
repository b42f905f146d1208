using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels;

/// <summary>
/// The transaction rules every channel shares: puts or takes but not both, the transaction
/// capacity, commit or rollback exactly once, rollback on dispose, a put commit in two steps
/// (prepare, then commit). Channels supply the storage.
/// </summary>
public abstract class ChannelTransactionBase : IChannelTransaction
{
    private readonly List<Event> _events = [];
    private State _state = State.Closed;
    private bool _isTaking;
    private bool _prepared;   // OnPreparePutsAsync succeeded: the puts are fixed
    private bool _holdsRoom;  // and the channel holds room for them

    private enum State { Open, Closed, Disposed }

    protected abstract int TransactionCapacity { get; }

    protected abstract string ChannelName { get; }

    public void Put(Event @event)
    {
        BeginOperation(taking: false, extra: 1);
        OnPut(@event);
        _events.Add(@event);
    }

    public void PutBatch(IReadOnlyList<Event> events)
    {
        BeginOperation(taking: false, extra: events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            OnPut(events[i]);
            _events.Add(events[i]);
        }
    }

    public int TakeBatch(List<Event> destination, int maxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEvents);
        BeginOperation(taking: true, extra: 1);
        var room = Math.Min(maxEvents, TransactionCapacity - _events.Count);
        var start = destination.Count;
        var taken = OnTake(destination, room);
        _events.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(destination).Slice(start, taken));
        return taken;
    }

    public async ValueTask<bool> PrepareAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        if (_isTaking)
        {
            throw new InvalidOperationException($"Only puts are prepared; this transaction on channel {ChannelName} holds takes");
        }
        if (_events.Count == 0)
        {
            return true;
        }
        if (!_prepared)
        {
            try
            {
                await PreparePutsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Rollback();
                throw;
            }
        }
        return _holdsRoom;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        try
        {
            if (_isTaking)
            {
                await OnCommitTakesAsync(_events, cancellationToken).ConfigureAwait(false);
            }
            else if (_events.Count > 0)
            {
                if (!_prepared)
                {
                    await PreparePutsAsync(cancellationToken).ConfigureAwait(false);
                }
                await OnCommitPutsAsync(_events, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Rollback();
            throw;
        }
        Close();
    }

    public void Rollback()
    {
        if (_state != State.Open)
        {
            return;
        }
        if (_isTaking)
        {
            OnRollbackTakes(_events);
        }
        else if (_events.Count > 0)
        {
            OnRollbackPuts(_events);
        }
        Close();
    }

    /// <summary>Rolls back if still open, then hands the object back to its channel for reuse:
    /// a disposed transaction must not be touched again.</summary>
    public void Dispose()
    {
        if (_state == State.Disposed)
        {
            return;
        }
        Rollback();
        _state = State.Disposed;
        OnDisposed();
    }

    protected void Reset()
    {
        _events.Clear();
        _isTaking = false;
        _prepared = false;
        _holdsRoom = false;
        _state = State.Open;
    }

    protected abstract void OnPut(Event @event);

    protected abstract int OnTake(List<Event> destination, int maxEvents);

    /// <summary>
    /// Holds room for <paramref name="puts"/> and returns true, or returns false when the channel
    /// cannot hold room ahead (the default: its commit decides). Room held is released by
    /// <see cref="OnRollbackPuts"/> and becomes the events' own room in <see cref="OnCommitPutsAsync"/>.
    /// </summary>
    protected virtual ValueTask<bool> OnPreparePutsAsync(List<Event> puts, CancellationToken cancellationToken) => new(false);

    /// <summary>Makes the prepared puts visible. When it throws, any room held stays held until
    /// <see cref="OnRollbackPuts"/>, which the base calls next.</summary>
    protected abstract ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken);

    protected abstract ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken);

    protected abstract void OnRollbackTakes(List<Event> takes);

    /// <summary>Puts are discarded on rollback; channels may count them, and release room they held.</summary>
    protected virtual void OnRollbackPuts(List<Event> puts)
    {
    }

    /// <summary>Called on dispose; the channel may reuse the object.</summary>
    protected virtual void OnDisposed()
    {
    }

    private void BeginOperation(bool taking, int extra)
    {
        EnsureOpen();
        if (_prepared)
        {
            throw new InvalidOperationException($"The transaction on channel {ChannelName} is prepared: its puts are fixed");
        }
        if (_events.Count > 0 && _isTaking != taking)
        {
            throw new InvalidOperationException(
                $"A transaction on channel {ChannelName} holds only puts or only takes");
        }
        _isTaking = taking;
        if (_events.Count + extra > TransactionCapacity)
        {
            throw new ChannelException(
                $"Transaction on channel {ChannelName} is full ({TransactionCapacity} events): commit more often or raise transactionCapacity");
        }
    }

    private async ValueTask PreparePutsAsync(CancellationToken cancellationToken)
    {
        _holdsRoom = await OnPreparePutsAsync(_events, cancellationToken).ConfigureAwait(false);
        _prepared = true;
    }

    private void EnsureOpen()
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException($"The transaction on channel {ChannelName} is already finished");
        }
    }

    private void Close()
    {
        _events.Clear();
        _state = State.Closed;
    }
}
