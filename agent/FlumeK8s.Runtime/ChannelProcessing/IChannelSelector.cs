using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.ChannelProcessing;

/// <summary>Decides which channels an event goes to. A failure on a required channel fails the
/// delivery; a failure on an optional one is ignored.</summary>
public interface IChannelSelector
{
    IReadOnlyList<IChannel> GetRequiredChannels(Event @event);

    IReadOnlyList<IChannel> GetOptionalChannels(Event @event);

    /// <summary>True when every event gets the same channels, so a batch needs no per-event routing.</summary>
    bool IsUniform { get; }
}
