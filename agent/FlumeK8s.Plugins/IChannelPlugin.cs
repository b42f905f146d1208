namespace FlumeK8s.Plugins;

/// <summary>
/// A buffer between sources and sinks. Constructor: <c>(IComponentSettings settings, ICountingComponentContext context)</c>.
/// The agent enforces the transaction rules (puts or takes, <see cref="TransactionCapacity"/>, commit or
/// rollback once) and keeps the standard channel counters; the plugin stores. A put transaction reaches
/// the plugin only at commit, with all its events; a take transaction takes, then commits or rolls back.
/// </summary>
public interface IChannelPlugin : IPluginComponent
{
    /// <summary>The most events one transaction may hold (<c>transactionCapacity</c>); bounds the attached batch sizes.</summary>
    int TransactionCapacity { get; }

    /// <summary>Events stored, for <c>ChannelSize</c> and drains: include those taken but not yet committed.</summary>
    long Size { get; }

    /// <summary>Stores <paramref name="puts"/> atomically, or throws <see cref="DeliveryRefusedException"/> keeping none.</summary>
    ValueTask CommitPutsAsync(IReadOnlyList<IEvent> puts, CancellationToken cancellationToken);

    /// <summary>Starts a take transaction.</summary>
    IChannelPluginTake BeginTake();

    /// <summary>Completes when events may be available, or after <paramref name="maxWait"/>.</summary>
    Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken);
}
