namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

/// <summary>
/// An event reached a path with time escapes without a usable <c>timestamp</c> header while
/// <c>hdfs.useLocalTimeStamp</c> is off. Flume fails the whole batch the same way: it rolls back
/// and stays in the channel until a timestamp interceptor or the setting is added.
/// </summary>
public sealed class MissingTimestampException(string message) : Exception(message);
