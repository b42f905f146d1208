namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>A file waiting in the spool directory.</summary>
internal sealed record SpoolCandidate(string FullPath, string RelativePath, long Length, DateTime LastWriteUtc);
