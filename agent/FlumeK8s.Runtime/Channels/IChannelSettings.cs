namespace FlumeK8s.Runtime.Channels;

/// <summary>A channel's validated properties. Every channel has a transaction capacity, which
/// bounds the batch size of the sources and sinks attached to it.</summary>
public interface IChannelSettings
{
    int TransactionCapacity { get; }

    /// <summary>False for a channel that keeps nothing (<c>null</c>): one without a sink is its normal use, not a channel filling up.</summary>
    bool HoldsEvents => true;
}
