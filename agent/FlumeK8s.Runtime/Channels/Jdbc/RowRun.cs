namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>Consecutive row ids, <c>First</c> to <c>First + Count - 1</c>: one committed put, or a piece of one.</summary>
internal readonly record struct RowRun(long First, int Count)
{
    public long Last => First + Count - 1;
}
