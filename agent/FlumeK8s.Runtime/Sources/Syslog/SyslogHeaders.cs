namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>The header names Flume's syslog sources set; downstream selectors and sinks match on these exact spellings.</summary>
public static class SyslogHeaders
{
    public const string Facility = "Facility";
    public const string Severity = "Severity";
    public const string Priority = "priority";
    public const string Version = "version";
    public const string Timestamp = "timestamp";
    public const string Host = "host";
    public const string Status = "flume.syslog.status";

    /// <summary>Status value: the message had no valid priority or matched neither RFC 3164 nor RFC 5424.</summary>
    public const string Invalid = "Invalid";

    /// <summary>Status value: the message was longer than <c>eventSize</c> and was cut.</summary>
    public const string Incomplete = "Incomplete";
}
