using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;

namespace FlumeK8s.Runtime.ChannelProcessing;

/// <summary>
/// The door from a source into its channels: interceptors first, then the selector, then one
/// transaction per required channel, one channel at a time. The first failing required channel
/// rolls back its own transaction and throws (channels already written stay committed, as in
/// Flume); optional channels' failures are swallowed.
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
        if (selector.IsUniform)
        {
            foreach (var channel in selector.GetRequiredChannels(events[0]))
            {
                await PutAsync(channel, events, cancellationToken).ConfigureAwait(false);
            }
            foreach (var channel in selector.GetOptionalChannels(events[0]))
            {
                await PutOptionalAsync(channel, events, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        var (required, optional) = Route(events);
        foreach (var (channel, batch) in required)
        {
            await PutAsync(channel, batch, cancellationToken).ConfigureAwait(false);
        }
        foreach (var (channel, batch) in optional)
        {
            await PutOptionalAsync(channel, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask ProcessEventAsync(Event @event, CancellationToken cancellationToken) =>
        ProcessBatchAsync([@event], cancellationToken);

    private static async ValueTask PutAsync(IChannel channel, List<Event> events, CancellationToken cancellationToken)
    {
        using var transaction = channel.BeginTransaction();
        transaction.PutBatch(events);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask PutOptionalAsync(IChannel channel, List<Event> events, CancellationToken cancellationToken)
    {
        try
        {
            await PutAsync(channel, events, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException)
        {
            // An optional channel's failure does not fail the delivery: that is what optional means.
        }
    }

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
