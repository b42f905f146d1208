namespace FlumeK8s.Runtime.Sources.Files;

/// <summary>What the file sources need to know about a file: its identity (inode), size and modification time.</summary>
internal readonly record struct FileStatus(ulong Inode, long Size, long ModifiedNanos)
{
    public DateTimeOffset Modified => DateTimeOffset.FromUnixTimeMilliseconds(ModifiedNanos / 1_000_000);
}
