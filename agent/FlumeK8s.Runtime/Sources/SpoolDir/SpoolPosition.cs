namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>Where the last committed batch of the file being read ended.</summary>
internal sealed record SpoolPosition(string RelativePath, ulong Inode, long Offset);
