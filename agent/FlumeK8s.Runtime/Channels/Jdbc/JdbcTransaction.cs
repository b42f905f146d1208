using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>A jdbc channel transaction: the ids it took (to delete at commit or give back at rollback)
/// and whether it holds room for its puts.</summary>
internal sealed class JdbcTransaction(JdbcChannel channel) : ChannelTransactionBase
{
    private readonly List<RowRun> _runs = [];
    private int _takenIds;
    private bool _holdsRoom;

    protected override int TransactionCapacity => channel.TransactionCapacity;

    protected override string ChannelName => channel.Name;

    public void Open()
    {
        _runs.Clear();
        _takenIds = 0;
        _holdsRoom = false;
        Reset();
    }

    protected override void OnPut(Event @event)
    {
    }

    protected override async ValueTask<bool> OnPreparePutsAsync(List<Event> puts, CancellationToken cancellationToken)
    {
        await channel.ReserveAsync(puts.Count, cancellationToken).ConfigureAwait(false);
        _holdsRoom = true;
        return true;
    }

    protected override async ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken)
    {
        await channel.CommitPutsAsync(puts, cancellationToken).ConfigureAwait(false);
        _holdsRoom = false; // the room is now the committed rows'
    }

    protected override void OnRollbackPuts(List<Event> puts)
    {
        if (_holdsRoom)
        {
            _holdsRoom = false;
            channel.Unreserve(puts.Count);
        }
        channel.Counter.AddPutAttempts(puts.Count);
    }

    protected override int OnTake(List<Event> destination, int maxEvents)
    {
        var (ids, events) = channel.Take(_runs, destination, maxEvents);
        _takenIds += ids;
        channel.Counter.AddTakeAttempts(ids < maxEvents ? events + 1 : events);
        return events;
    }

    protected override async ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken)
    {
        await channel.CommitTakesAsync(_runs, _takenIds, takes.Count, cancellationToken).ConfigureAwait(false);
        _runs.Clear();
        _takenIds = 0;
    }

    protected override void OnRollbackTakes(List<Event> takes)
    {
        if (_takenIds > 0)
        {
            channel.ReturnTakes(_runs, _takenIds);
        }
        _runs.Clear();
        _takenIds = 0;
    }

    protected override void OnDisposed() => channel.Recycle(this);
}
