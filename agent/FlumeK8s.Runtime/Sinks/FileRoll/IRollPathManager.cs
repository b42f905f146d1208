namespace FlumeK8s.Runtime.Sinks.FileRoll;

/// <summary>Names the next file of a rolling sink (a name, not a path). Does no I/O.</summary>
internal interface IRollPathManager
{
    string NextFileName(DateTimeOffset now);
}
