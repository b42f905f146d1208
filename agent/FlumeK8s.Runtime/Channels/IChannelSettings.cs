namespace FlumeK8s.Runtime.Channels;

/// <summary>A channel's validated properties. Every channel has a transaction capacity, which
/// bounds the batch size of the sources and sinks attached to it.</summary>
public interface IChannelSettings
{
    int TransactionCapacity { get; }
}
