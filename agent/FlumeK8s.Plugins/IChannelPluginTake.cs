namespace FlumeK8s.Plugins;

/// <summary>One take transaction of a <see cref="IChannelPlugin"/>.</summary>
public interface IChannelPluginTake
{
    /// <summary>Appends up to <paramref name="maxEvents"/> events to <paramref name="destination"/>; returns how many. Never waits.</summary>
    int Take(IList<IEvent> destination, int maxEvents);

    /// <summary>The taken events are gone for good.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>The taken events return to the head, in their order.</summary>
    void Rollback();
}
