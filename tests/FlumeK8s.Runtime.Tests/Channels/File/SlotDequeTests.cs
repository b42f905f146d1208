using FlumeK8s.Runtime.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.File;

public sealed class SlotDequeTests
{
    [Fact]
    public void TakeAndPutBack_AcrossSegments_KeepsOrder()
    {
        var deque = new SlotDeque();
        for (var i = 0; i < 40_000; i++)
        {
            deque.AddLast(new Slot(i, null));
        }
        var taken = new List<Slot>();
        deque.RemoveFirst(taken, 20_000);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (long)i), taken.Select(s => s.Pointer));
        deque.AddFirst(taken[5_000..]);
        var pointers = new List<long>();
        deque.CopyPointers(pointers);
        Assert.Equal(Enumerable.Range(5_000, 35_000).Select(i => (long)i), pointers);

        var rest = new List<Slot>();
        deque.RemoveFirst(rest, int.MaxValue);
        Assert.Equal(35_000, rest.Count);
        Assert.Equal(0, deque.Count);
        deque.AddFirst([new Slot(-1, null)]);
        deque.AddLast(new Slot(-2, null));
        pointers.Clear();
        deque.CopyPointers(pointers);
        Assert.Equal([-1L, -2L], pointers);
    }
}
