using System.Collections.Concurrent;
using System.Text;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>
/// A channel whose put commits wait until the test decides each one, in any order: committed (its
/// events recorded) or refused (<see cref="ChannelException"/>). Batches are known by their first
/// event's body; a decision serves one commit, so a batch sent again waits for a new one. No real
/// channel lets a test choose the order in which concurrent commits end.
/// </summary>
public sealed class HeldCommitChannel : IChannel
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _decisions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _committedBodies = new();
    private readonly ConcurrentQueue<string> _started = new();
    private int _waiting;

    public string Name => "held";

    public ChannelCounter Counter { get; } = new("held", "test");

    public string? UnhealthyReason => null;

    public int TransactionCapacity => 1000;

    /// <summary>Commits started and not yet decided.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Bodies of the committed events, in the order their commits ended.</summary>
    public IReadOnlyList<string> Committed => [.. _committedBodies];

    /// <summary>First bodies of the batches whose commits started, in the order they started (a real channel's append order).</summary>
    public IReadOnlyList<string> Started => [.. _started];

    public IChannelTransaction BeginTransaction() => new Transaction(this);

    public Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken) => Task.Delay(maxWait, cancellationToken);

    /// <summary>Lets the batch starting with <paramref name="firstBody"/> commit (its commit may start before or after).</summary>
    public void Commit(string firstBody) => Decision(firstBody).TrySetResult(true);

    public void Refuse(string firstBody) => Decision(firstBody).TrySetResult(false);

    private TaskCompletionSource<bool> Decision(string firstBody) =>
        _decisions.GetOrAdd(firstBody, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Transaction : ChannelTransactionBase
    {
        private readonly HeldCommitChannel _channel;

        public Transaction(HeldCommitChannel channel)
        {
            _channel = channel;
            Reset();
        }

        protected override int TransactionCapacity => _channel.TransactionCapacity;

        protected override string ChannelName => _channel.Name;

        protected override void OnPut(Event @event)
        {
        }

        protected override int OnTake(List<Event> destination, int maxEvents) => 0;

        protected override async ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken)
        {
            var bodies = puts.Select(e => Encoding.UTF8.GetString(e.Body)).ToList();
            _channel._started.Enqueue(bodies[0]);
            Interlocked.Increment(ref _channel._waiting);
            var decision = _channel.Decision(bodies[0]);
            bool commit;
            try
            {
                commit = await decision.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _channel._waiting);
            }
            _channel._decisions.TryRemove(new KeyValuePair<string, TaskCompletionSource<bool>>(bodies[0], decision));
            if (!commit)
            {
                throw new ChannelException($"batch {bodies[0]} refused by the test");
            }
            foreach (var body in bodies)
            {
                _channel._committedBodies.Enqueue(body);
            }
        }

        protected override ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override void OnRollbackTakes(List<Event> takes)
        {
        }
    }
}
