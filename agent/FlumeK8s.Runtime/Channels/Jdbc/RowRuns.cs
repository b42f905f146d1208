using System.Diagnostics;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// The ids of the rows a take may hand out, in order, as runs of consecutive ids. A committed put
/// is one run, so the queue stays as small as the number of commits however many events it holds,
/// and a take reads and deletes each run with one range query. The owner locks.
/// </summary>
internal sealed class RowRuns
{
    private readonly LinkedList<RowRun> _runs = new();

    public long Count { get; private set; }

    public void AddLast(RowRun run)
    {
        Debug.Assert(run.Count > 0);
        // Runs from consecutive commits (and from loading a table) join, keeping the list short.
        if (_runs.Last is { } last && last.Value.Last + 1 == run.First)
        {
            last.Value = last.Value with { Count = last.Value.Count + run.Count };
        }
        else
        {
            _runs.AddLast(run);
        }
        Count += run.Count;
    }

    /// <summary>Moves up to <paramref name="max"/> ids from the head into <paramref name="taken"/>; returns how many.</summary>
    public int TakeFirst(int max, List<RowRun> taken)
    {
        var remaining = max;
        while (remaining > 0 && _runs.First is { } first)
        {
            var run = first.Value;
            if (run.Count <= remaining)
            {
                _runs.RemoveFirst();
                taken.Add(run);
                remaining -= run.Count;
            }
            else
            {
                taken.Add(run with { Count = remaining });
                first.Value = new RowRun(run.First + remaining, run.Count - remaining);
                remaining = 0;
            }
        }
        Count -= max - remaining;
        return max - remaining;
    }

    /// <summary>Puts <paramref name="runs"/> (taken earlier, in their order) back at the head.</summary>
    public void AddFirst(List<RowRun> runs)
    {
        for (var i = runs.Count - 1; i >= 0; i--)
        {
            var run = runs[i];
            if (_runs.First is { } first && run.Last + 1 == first.Value.First)
            {
                first.Value = new RowRun(run.First, run.Count + first.Value.Count);
            }
            else
            {
                _runs.AddFirst(run);
            }
            Count += run.Count;
        }
    }
}
