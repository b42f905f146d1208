namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

/// <summary>One piece of a compiled path: literal text, a header, a time field or a host escape.</summary>
internal readonly record struct PathSegment(PathSegmentKind Kind, string Text, char TimeField = '\0', HostEscape Host = HostEscape.LocalHost);
