namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

internal enum PathSegmentKind
{
    Literal,
    Header,
    Time,
    Host,
}
