using FlumeK8s.Plugins;

namespace FlumeK8s.Runtime.Tests.Plugins;

/// <summary>A channel as a plugin author would write one against the API: an in-memory queue with take transactions.</summary>
internal sealed class QueuePluginChannel(int transactionCapacity, IComponentContext context) : IChannelPlugin
{
    private readonly object _gate = new();
    private readonly LinkedList<IEvent> _queue = new();
    private long _taken;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int TransactionCapacity => transactionCapacity;

    public long Size
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count + _taken;
            }
        }
    }

    public ValueTask CommitPutsAsync(IReadOnlyList<IEvent> puts, CancellationToken cancellationToken)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            foreach (var e in puts)
            {
                // Stored as its own copy, as a channel that serialises would: made through the API.
                _queue.AddLast(context.CreateEvent(e.Body, new Dictionary<string, string>(e.Headers)));
            }
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public IChannelPluginTake BeginTake() => new QueueTake(this);

    public async Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        Task arrived;
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return;
            }
            arrived = _arrived.Task;
        }
        await Task.WhenAny(arrived, Task.Delay(maxWait, cancellationToken)).ConfigureAwait(false);
    }

    private sealed class QueueTake(QueuePluginChannel channel) : IChannelPluginTake
    {
        private readonly List<IEvent> _taken = [];

        public int Take(IList<IEvent> destination, int maxEvents)
        {
            lock (channel._gate)
            {
                var n = 0;
                while (n < maxEvents && channel._queue.First is { } first)
                {
                    channel._queue.RemoveFirst();
                    destination.Add(first.Value);
                    _taken.Add(first.Value);
                    n++;
                }
                channel._taken += n;
                return n;
            }
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            lock (channel._gate)
            {
                channel._taken -= _taken.Count;
            }
            return ValueTask.CompletedTask;
        }

        public void Rollback()
        {
            lock (channel._gate)
            {
                for (var i = _taken.Count - 1; i >= 0; i--)
                {
                    channel._queue.AddFirst(_taken[i]);
                }
                channel._taken -= _taken.Count;
            }
        }
    }
}
