namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

/// <summary>Flume's <c>hdfs.roundUnit</c>: the field a timestamp is rounded down in.</summary>
public enum RoundUnit
{
    Second,
    Minute,
    Hour,
    Day,
}
