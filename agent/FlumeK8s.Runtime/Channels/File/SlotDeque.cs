namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// The queue of slots: append at the tail, take from the head, put back at the head. Stored in
/// fixed segments rather than one growing array, so a backlog of millions grows and shrinks a
/// segment at a time instead of copying (and briefly doubling) the whole queue. The owner locks.
/// </summary>
internal sealed class SlotDeque
{
    private const int SegmentSize = 16 * 1024;
    private readonly LinkedList<Slot[]> _segments = new();
    private int _head;          // index of the first slot in the first segment
    private int _tail;          // index after the last slot in the last segment

    public int Count { get; private set; }

    public void AddLast(Slot slot)
    {
        if (_segments.Count == 0 || _tail == SegmentSize)
        {
            _segments.AddLast(new Slot[SegmentSize]);
            _tail = 0;
            if (_segments.Count == 1)
            {
                _head = 0;
            }
        }
        _segments.Last!.Value[_tail++] = slot;
        Count++;
    }

    public void AddFirst(List<Slot> slots)
    {
        for (var i = slots.Count - 1; i >= 0; i--)
        {
            if (_segments.Count == 0)
            {
                _segments.AddFirst(new Slot[SegmentSize]);
                _head = _tail = SegmentSize;
            }
            else if (_head == 0)
            {
                _segments.AddFirst(new Slot[SegmentSize]);
                _head = SegmentSize;
            }
            _segments.First!.Value[--_head] = slots[i];
            Count++;
        }
    }

    public void RemoveFirst(List<Slot> destination, int max)
    {
        var remaining = Math.Min(max, Count);
        while (remaining > 0)
        {
            var segment = _segments.First!.Value;
            var end = _segments.Count == 1 ? _tail : SegmentSize;
            var n = Math.Min(remaining, end - _head);
            destination.AddRange(segment.AsSpan(_head, n));
            segment.AsSpan(_head, n).Clear();
            _head += n;
            remaining -= n;
            Count -= n;
            if (_head == end)
            {
                _segments.RemoveFirst();
                _head = 0;
                if (_segments.Count == 0)
                {
                    _tail = 0;
                }
            }
        }
    }

    /// <summary>Copies every pointer, head first, for a checkpoint.</summary>
    public void CopyPointers(List<long> destination)
    {
        var first = true;
        for (var node = _segments.First; node is not null; node = node.Next)
        {
            var start = first ? _head : 0;
            var end = node.Next is null ? _tail : SegmentSize;
            for (var i = start; i < end; i++)
            {
                destination.Add(node.Value[i].Pointer);
            }
            first = false;
        }
    }
}
