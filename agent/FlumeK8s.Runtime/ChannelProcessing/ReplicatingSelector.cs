using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.ChannelProcessing;

/// <summary>Every event to every channel; channels listed in <c>optional</c> may fail without failing the delivery.</summary>
public sealed class ReplicatingSelector(IReadOnlyList<IChannel> required, IReadOnlyList<IChannel> optional) : IChannelSelector
{
    public bool IsUniform => true;

    public IReadOnlyList<IChannel> GetRequiredChannels(Event @event) => required;

    public IReadOnlyList<IChannel> GetOptionalChannels(Event @event) => optional;
}
