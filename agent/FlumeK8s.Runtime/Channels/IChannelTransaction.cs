using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels;

/// <summary>
/// One channel transaction: only puts or only takes. Disposing a transaction that was neither
/// committed nor rolled back rolls it back, so <c>using</c> never leaks taken events.
/// </summary>
public interface IChannelTransaction : IDisposable
{
    void Put(Event @event);

    void PutBatch(IReadOnlyList<Event> events);

    /// <summary>Appends up to <paramref name="maxEvents"/> events to <paramref name="destination"/>;
    /// returns how many. Never waits: an empty channel answers 0 at once.</summary>
    int TakeBatch(List<Event> destination, int maxEvents);

    /// <summary>
    /// The first half of a put commit, for writing one batch to several channels all or nothing:
    /// waits (up to the channel's keep-alive) until the channel has room for this transaction's
    /// puts and holds that room, so the <see cref="CommitAsync"/> that follows is not refused for
    /// lack of it. Returns true when the commit can then fail only on a fault (an I/O error);
    /// false when the channel cannot hold room ahead and still decides at commit (Kafka). Throws
    /// <see cref="ChannelException"/> when refused; the transaction is then rolled back. A
    /// rollback after it releases the room. Committing without it prepares implicitly.
    /// </summary>
    ValueTask<bool> PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Makes puts visible or takes final. Throws <see cref="ChannelException"/> when it
    /// cannot (for example <see cref="ChannelFullException"/>); the transaction is then rolled back.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>Discards puts; returns taken events to the head of the channel in their original order.</summary>
    void Rollback();
}
