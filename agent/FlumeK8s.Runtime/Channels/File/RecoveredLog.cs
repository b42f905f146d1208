namespace FlumeK8s.Runtime.Channels.File;

/// <summary>What recovery found: the queue's pointers in order, live events per log file, and what it had to skip.</summary>
internal sealed record RecoveredLog(
    List<long> Pointers,
    Dictionary<int, long> LiveCounts,
    SortedSet<int> LogIds,
    long Position,
    string Source,
    IReadOnlyList<string> Problems,
    long CorruptBlocks,
    long LostEvents);
