using System.Runtime.InteropServices;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels;

/// <summary>
/// A growable ring of events with bulk append at the tail, bulk removal at the head and bulk
/// re-insertion at the head (rollback). Not thread-safe: the owner locks.
/// </summary>
internal sealed class EventDeque
{
    private Event?[] _items;
    private int _head;

    public EventDeque(int initialCapacity)
    {
        _items = new Event?[Math.Max(16, initialCapacity)];
    }

    public int Count { get; private set; }

    public void AddLast(List<Event> events)
    {
        EnsureRoom(events.Count);
        ReadOnlySpan<Event?> source = CollectionsMarshal.AsSpan(events);
        var tail = (_head + Count) % _items.Length;
        var first = Math.Min(source.Length, _items.Length - tail);
        source[..first].CopyTo(_items.AsSpan(tail));
        source[first..].CopyTo(_items.AsSpan());
        Count += events.Count;
    }

    /// <summary>Puts <paramref name="events"/> back in front of the head, first one first.</summary>
    public void AddFirst(IReadOnlyList<Event> events)
    {
        EnsureRoom(events.Count);
        for (var i = events.Count - 1; i >= 0; i--)
        {
            _head = _head == 0 ? _items.Length - 1 : _head - 1;
            _items[_head] = events[i];
        }
        Count += events.Count;
    }

    public int RemoveFirst(List<Event> destination, int maxEvents)
    {
        var n = Math.Min(maxEvents, Count);
        var first = Math.Min(n, _items.Length - _head);
        Move(_items.AsSpan(_head, first), destination);
        Move(_items.AsSpan(0, n - first), destination);
        _head = (_head + n) % _items.Length;
        Count -= n;
        return n;
    }

    // Appends the slots to the list and clears them, so the ring holds no reference to taken events.
    private static void Move(Span<Event?> slots, List<Event> destination)
    {
        destination.AddRange((ReadOnlySpan<Event>)slots!);
        slots.Clear();
    }


    private void EnsureRoom(int extra)
    {
        if (Count + extra <= _items.Length)
        {
            return;
        }
        var size = _items.Length;
        while (size < Count + extra)
        {
            size *= 2;
        }
        var grown = new Event?[size];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = _items[(_head + i) % _items.Length];
        }
        _items = grown;
        _head = 0;
    }
}
