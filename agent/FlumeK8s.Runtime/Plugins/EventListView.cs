using System.Collections;
using FlumeK8s.Plugins;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Plugins;

/// <summary>
/// A batch of the agent's events seen as the API's <c>IList&lt;IEvent&gt;</c>, without copying: what
/// a plugin removes, replaces or adds happens to the agent's list itself.
/// </summary>
internal sealed class EventListView(List<Event> events) : IList<IEvent>
{
    public IEvent this[int index]
    {
        get => events[index];
        set => events[index] = PluginComponentContext.ToEvent(value);
    }

    public int Count => events.Count;

    public bool IsReadOnly => false;

    public void Add(IEvent item) => events.Add(PluginComponentContext.ToEvent(item));

    public void Clear() => events.Clear();

    public bool Contains(IEvent item) => item is Event e && events.Contains(e);

    public void CopyTo(IEvent[] array, int arrayIndex)
    {
        for (var i = 0; i < events.Count; i++)
        {
            array[arrayIndex + i] = events[i];
        }
    }

    public IEnumerator<IEvent> GetEnumerator() => events.GetEnumerator();

    public int IndexOf(IEvent item) => item is Event e ? events.IndexOf(e) : -1;

    public void Insert(int index, IEvent item) => events.Insert(index, PluginComponentContext.ToEvent(item));

    public bool Remove(IEvent item) => item is Event e && events.Remove(e);

    public void RemoveAt(int index) => events.RemoveAt(index);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
