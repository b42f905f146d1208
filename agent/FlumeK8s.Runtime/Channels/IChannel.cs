using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Channels;

/// <summary>
/// A buffer between sources and sinks. Every put and take happens inside a transaction;
/// commit is the only point where puts become visible and takes become gone.
/// </summary>
public interface IChannel : ILifecycle
{
    string Name { get; }

    ChannelCounter Counter { get; }

    /// <summary>Null while the channel can serve; otherwise why it refuses work.</summary>
    string? UnhealthyReason { get; }

    /// <summary>
    /// True when the channel failed in a way that only closing it and opening it again from its own
    /// files repairs (a durable channel whose write failed: it no longer knows which of its
    /// in-memory pointers reached the disk). The host then reopens it.
    /// </summary>
    bool NeedsReopen => false;

    /// <summary>
    /// The events this channel is still answerable for: queued, plus taken by transactions that have
    /// not committed (their sink may still fail and roll them back). <see cref="ChannelCounter.Size"/>
    /// drops at the take, so a sink retrying a batch against a next tier that is down makes it flicker
    /// to zero; a drain is over only when this is zero. Read in one step, so an event moving between
    /// queue and transaction is never missed. Channels whose events live elsewhere (Kafka) report their size.
    /// </summary>
    long EventsHeld => Counter.Size;

    /// <summary>
    /// The most events one transaction may hold, read from the current settings: a reload may
    /// change it, so a caller that splits work by it reads it again for every batch.
    /// </summary>
    int TransactionCapacity { get; }

    IChannelTransaction BeginTransaction();

    /// <summary>
    /// Completes when events may be available to take, or when <paramref name="maxWait"/> passes.
    /// Lets idle sinks sleep without polling and still wake as soon as data arrives.
    /// </summary>
    Task WaitToTakeAsync(TimeSpan maxWait, CancellationToken cancellationToken);
}
