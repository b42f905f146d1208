namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>One entry of the position file: the file's inode, the offset after its last committed line, and its path when last seen.</summary>
internal sealed record TaildirPosition(ulong Inode, long Pos, string File);
