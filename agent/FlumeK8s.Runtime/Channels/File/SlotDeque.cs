using System.Runtime.InteropServices;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>A growable ring of slots: append at the tail, take from the head, put back at the head. The owner locks.</summary>
internal sealed class SlotDeque
{
    private Slot[] _items = new Slot[1024];
    private int _head;

    public int Count { get; private set; }

    public void AddLast(Slot slot)
    {
        EnsureRoom(1);
        _items[(_head + Count) % _items.Length] = slot;
        Count++;
    }

    public void AddFirst(List<Slot> slots)
    {
        EnsureRoom(slots.Count);
        for (var i = slots.Count - 1; i >= 0; i--)
        {
            _head = _head == 0 ? _items.Length - 1 : _head - 1;
            _items[_head] = slots[i];
        }
        Count += slots.Count;
    }

    public void RemoveFirst(List<Slot> destination, int max)
    {
        var n = Math.Min(max, Count);
        var first = Math.Min(n, _items.Length - _head);
        destination.AddRange(_items.AsSpan(_head, first));
        destination.AddRange(_items.AsSpan(0, n - first));
        _items.AsSpan(_head, first).Clear();
        _items.AsSpan(0, n - first).Clear();
        _head = (_head + n) % _items.Length;
        Count -= n;
    }

    /// <summary>Copies every pointer, head first, for a checkpoint.</summary>
    public void CopyPointers(List<long> destination)
    {
        for (var i = 0; i < Count; i++)
        {
            destination.Add(_items[(_head + i) % _items.Length].Pointer);
        }
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
        var grown = new Slot[size];
        var first = Math.Min(Count, _items.Length - _head);
        _items.AsSpan(_head, first).CopyTo(grown);
        _items.AsSpan(0, Count - first).CopyTo(grown.AsSpan(first));
        _items = grown;
        _head = 0;
    }
}
