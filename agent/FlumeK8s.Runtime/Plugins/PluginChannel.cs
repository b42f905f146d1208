using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>
/// A plugin's <see cref="IChannelPlugin"/> as an agent channel. The transaction rules are the agent's
/// (<see cref="ChannelTransactionBase"/>), as are the standard counters; the plugin only stores: a put
/// transaction reaches it once, at commit, and a refusal there is the channel refusing the batch.
/// </summary>
internal sealed class PluginChannel : IChannel, ILifecycle
{
    private readonly IChannelPlugin _plugin;
    private readonly TransactionPool<PluginTransaction> _spares = new();

    public PluginChannel(ChannelBuild build, IReadOnlyList<string> counters, Func<PluginComponentContext, IChannelPlugin> create)
    {
        Name = build.Name;
        Counter = new ChannelCounter(build.Name, build.Type, counters);
        _plugin = create(new PluginComponentContext(build.Name, build.Services.AgentName, build.Services.Time, build.Services.Logs, Counter));
    }

    public string Name { get; }

    public ChannelCounter Counter { get; }

    public string? UnhealthyReason => null;

    public long EventsHeld => _plugin.Size;

    public int TransactionCapacity => _plugin.TransactionCapacity;

    public Task StartAsync(CancellationToken cancellationToken) => _plugin.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => PluginLifecycle.StopAndDisposeAsync(_plugin, cancellationToken);

    public IChannelTransaction BeginTransaction()
    {
        var transaction = _spares.Rent() ?? new PluginTransaction(this);
        transaction.Open();
        return transaction;
    }

    public Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken) => _plugin.WaitToTakeAsync(maxWait, cancellationToken);

    private sealed class PluginTransaction(PluginChannel channel) : ChannelTransactionBase
    {
        private readonly List<IEvent> _scratch = [];
        private IChannelPluginTake? _take;

        protected override int TransactionCapacity => channel.TransactionCapacity;

        protected override string ChannelName => channel.Name;

        public void Open()
        {
            _take = null;
            Reset();
        }

        protected override void OnPut(Event @event)
        {
        }

        protected override int OnTake(List<Event> destination, int maxEvents)
        {
            _take ??= channel._plugin.BeginTake();
            _scratch.Clear();
            var taken = _take.Take(_scratch, maxEvents);
            foreach (var e in _scratch)
            {
                destination.Add(PluginComponentContext.ToEvent(e));
            }
            _scratch.Clear();
            channel.Counter.AddTakeAttempts(taken < maxEvents ? taken + 1 : taken);
            channel.Counter.SetSize(channel._plugin.Size);
            return taken;
        }

        protected override async ValueTask OnCommitPutsAsync(List<Event> puts, CancellationToken cancellationToken)
        {
            try
            {
                await channel._plugin.CommitPutsAsync(puts, cancellationToken).ConfigureAwait(false);
            }
            catch (DeliveryRefusedException e)
            {
                throw new ChannelException($"Channel {channel.Name} refused {puts.Count} events: {e.Message}", e);
            }
            channel.Counter.AddPutAttempts(puts.Count);
            channel.Counter.AddPutSuccesses(puts.Count);
            channel.Counter.SetSize(channel._plugin.Size);
        }

        protected override void OnRollbackPuts(List<Event> puts) => channel.Counter.AddPutAttempts(puts.Count);

        protected override async ValueTask OnCommitTakesAsync(List<Event> takes, CancellationToken cancellationToken)
        {
            if (_take is not null)
            {
                await _take.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            channel.Counter.AddTakeSuccesses(takes.Count);
        }

        protected override void OnRollbackTakes(List<Event> takes)
        {
            _take?.Rollback();
            channel.Counter.SetSize(channel._plugin.Size);
        }

        protected override void OnDisposed() => channel._spares.Return(this);
    }
}
