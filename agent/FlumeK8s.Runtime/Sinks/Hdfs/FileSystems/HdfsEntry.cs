namespace FlumeK8s.Runtime.Sinks.Hdfs.FileSystems;

/// <summary>A directory entry: its name (no path), whether it is a directory, and its length in bytes.</summary>
internal readonly record struct HdfsEntry(string Name, bool IsDirectory, long Length);
