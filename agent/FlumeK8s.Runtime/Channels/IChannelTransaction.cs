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

    /// <summary>Makes puts visible or takes final. Throws <see cref="ChannelException"/> when it
    /// cannot (for example <see cref="ChannelFullException"/>); the transaction is then rolled back.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>Discards puts; returns taken events to the head of the channel in their original order.</summary>
    void Rollback();
}
