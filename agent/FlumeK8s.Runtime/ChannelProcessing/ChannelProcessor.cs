using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;

namespace FlumeK8s.Runtime.ChannelProcessing;

/// <summary>
/// The door from a source into its channels: interceptors first, then the selector, then the
/// puts (<see cref="ChannelPut"/>). The required channels are written together: a batch larger
/// than a channel's <c>transactionCapacity</c> goes in several transactions, and each round of
/// transactions is prepared on every required channel before any commits, so a full channel
/// refuses the batch without the others keeping it (Flume commits channel by channel and keeps
/// what the earlier ones took). The call returns only when every part is committed; when it
/// throws, parts committed before the failure stay, and the sender's retry writes them again
/// (at least once). Optional channels are written afterwards; their failures are swallowed.
/// </summary>
public sealed class ChannelProcessor(IChannelSelector selector, IReadOnlyList<IInterceptor> interceptors)
{
    public IChannelSelector Selector => selector;

    /// <summary>Delivers <paramref name="events"/>. The list is the processor's to change: interceptors may drop events from it.</summary>
    public async ValueTask ProcessBatchAsync(List<Event> events, CancellationToken cancellationToken)
    {
        foreach (var interceptor in interceptors)
        {
            interceptor.Intercept(events);
        }
        if (events.Count == 0)
        {
            return;
        }
        var (required, optional) = selector.IsUniform ? Uniform(events) : Route(events);
        await ChannelPut.PutAsync(required, cancellationToken).ConfigureAwait(false);
        foreach (var batch in optional)
        {
            try
            {
                await ChannelPut.PutAsync([batch], cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelException)
            {
                // An optional channel's failure does not fail the delivery: that is what optional means.
            }
        }
    }

    public ValueTask ProcessEventAsync(Event @event, CancellationToken cancellationToken) =>
        ProcessBatchAsync([@event], cancellationToken);

    private (List<(IChannel, List<Event>)> Required, List<(IChannel, List<Event>)> Optional) Uniform(List<Event> events) =>
        ([.. selector.GetRequiredChannels(events[0]).Select(c => (c, events))],
         [.. selector.GetOptionalChannels(events[0]).Select(c => (c, events))]);

    private (List<(IChannel, List<Event>)> Required, List<(IChannel, List<Event>)> Optional) Route(List<Event> events)
    {
        var required = new List<(IChannel Channel, List<Event> Events)>();
        var optional = new List<(IChannel Channel, List<Event> Events)>();
        foreach (var @event in events)
        {
            AddTo(required, selector.GetRequiredChannels(@event), @event);
            AddTo(optional, selector.GetOptionalChannels(@event), @event);
        }
        return (required, optional);
    }

    // Few channels per source: a linear scan keeps the channels in first-seen order without a dictionary.
    private static void AddTo(List<(IChannel Channel, List<Event> Events)> groups, IReadOnlyList<IChannel> channels, Event @event)
    {
        foreach (var channel in channels)
        {
            var index = groups.FindIndex(g => ReferenceEquals(g.Channel, channel));
            if (index < 0)
            {
                groups.Add((channel, [@event]));
            }
            else
            {
                groups[index].Events.Add(@event);
            }
        }
    }
}
