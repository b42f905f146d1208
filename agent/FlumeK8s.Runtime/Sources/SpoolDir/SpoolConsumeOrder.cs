namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>Which waiting file is read next: by modification time (ties by path) or at random.</summary>
public enum SpoolConsumeOrder
{
    Oldest,
    Youngest,
    Random,
}
