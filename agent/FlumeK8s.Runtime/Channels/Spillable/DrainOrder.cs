using System.Diagnostics;

namespace FlumeK8s.Runtime.Channels.Spillable;

/// <summary>
/// Which store holds the next events, oldest first: a queue of runs such as (memory, 300),
/// (overflow, 9000), (memory, 40). Each store is FIFO on its own, so a take that drains the head run
/// from its store, run after run, returns events in put order across both. Adjacent runs of the
/// same store merge, so the queue is as long as the number of memory/overflow transitions.
/// Not thread-safe: the channel locks.
/// </summary>
internal sealed class DrainOrder
{
    private readonly LinkedList<DrainRun> _runs = new();

    public int MemoryCount { get; private set; }

    public int OverflowCount { get; private set; }

    public int Total => MemoryCount + OverflowCount;

    public void Append(bool inOverflow, int count)
    {
        if (count == 0)
        {
            return;
        }
        if (_runs.Last is { } last && last.Value.InOverflow == inOverflow)
        {
            last.Value = last.Value with { Count = last.Value.Count + count };
        }
        else
        {
            _runs.AddLast(new DrainRun(inOverflow, count));
        }
        Count(inOverflow, count);
    }

    /// <summary>Puts runs back in front of the head, first one first (a rolled-back take).</summary>
    public void Prepend(IReadOnlyList<DrainRun> runs)
    {
        for (var i = runs.Count - 1; i >= 0; i--)
        {
            var run = runs[i];
            if (_runs.First is { } first && first.Value.InOverflow == run.InOverflow)
            {
                first.Value = first.Value with { Count = first.Value.Count + run.Count };
            }
            else
            {
                _runs.AddFirst(run);
            }
            Count(run.InOverflow, run.Count);
        }
    }

    public bool TryPeekHead(out DrainRun head)
    {
        head = _runs.First?.Value ?? default;
        return _runs.First is not null;
    }

    public void ConsumeHead(int count)
    {
        var first = _runs.First;
        Debug.Assert(first is not null && count <= first.Value.Count);
        if (count == first.Value.Count)
        {
            _runs.RemoveFirst();
        }
        else
        {
            first.Value = first.Value with { Count = first.Value.Count - count };
        }
        Count(first.Value.InOverflow, -count);
    }

    private void Count(bool inOverflow, int count)
    {
        if (inOverflow)
        {
            OverflowCount += count;
        }
        else
        {
            MemoryCount += count;
        }
    }
}
