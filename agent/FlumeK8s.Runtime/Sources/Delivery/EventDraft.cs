using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// An event as a source read it, before interceptors. Every delivery attempt builds fresh
/// <see cref="Event"/>s from it: interceptors change events in place (headers, bodies), and a
/// batch the channel refused must not go through them twice when it is retried.
/// </summary>
internal readonly record struct EventDraft(byte[] Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public Event ToEvent() =>
        new(Body, Headers is null ? null : new Dictionary<string, string>(Headers, StringComparer.Ordinal));

    /// <summary>Appends a fresh event for each draft to <paramref name="destination"/>.</summary>
    public static void AddEvents(IReadOnlyList<EventDraft> drafts, List<Event> destination)
    {
        for (var i = 0; i < drafts.Count; i++)
        {
            destination.Add(drafts[i].ToEvent());
        }
    }
}
