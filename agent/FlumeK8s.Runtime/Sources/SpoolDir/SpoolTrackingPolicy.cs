namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>How a finished file is marked so it is not read again (when it is not deleted).</summary>
public enum SpoolTrackingPolicy
{
    /// <summary>Renamed to its name plus <c>fileSuffix</c>.</summary>
    Rename,

    /// <summary>Left in place; an empty marker file named after it (plus <c>fileSuffix</c>) is created under <c>trackerDir</c>.</summary>
    TrackerDir,
}
