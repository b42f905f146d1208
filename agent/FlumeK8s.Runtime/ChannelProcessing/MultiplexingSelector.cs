using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.ChannelProcessing;

/// <summary>
/// Routes by the value of one header: <c>mapping.&lt;value&gt;</c> names the required channels,
/// <c>optional.&lt;value&gt;</c> adds optional ones, and <c>default</c> serves a missing or
/// unmapped value.
/// </summary>
public sealed class MultiplexingSelector(
    string header,
    IReadOnlyDictionary<string, IReadOnlyList<IChannel>> mapping,
    IReadOnlyDictionary<string, IReadOnlyList<IChannel>> optional,
    IReadOnlyList<IChannel> defaultChannels) : IChannelSelector
{
    public const string DefaultHeader = "flume.selector.header";

    public bool IsUniform => false;

    public IReadOnlyList<IChannel> GetRequiredChannels(Event @event)
    {
        var value = @event.GetHeader(header);
        return value is not null && mapping.TryGetValue(value, out var channels) ? channels : defaultChannels;
    }

    public IReadOnlyList<IChannel> GetOptionalChannels(Event @event)
    {
        var value = @event.GetHeader(header);
        return value is not null && optional.TryGetValue(value, out var channels) ? channels : [];
    }
}
