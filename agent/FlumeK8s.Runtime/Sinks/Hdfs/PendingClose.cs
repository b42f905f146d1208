namespace FlumeK8s.Runtime.Sinks.Hdfs;

/// <summary>
/// An in-use file the sink stopped writing but could not finish yet: it is to be cut back to
/// <paramref name="TruncateTo"/> bytes (after a failed append) when set, then renamed to its final name.
/// </summary>
internal sealed record PendingClose(string InUsePath, string FinalPath, long? TruncateTo);
