namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Which parts of the syslog header stay in the event body (Flume's <c>keepFields</c>).
/// <see cref="All"/> keeps the message exactly as received, which is not the same as listing
/// the four parts: those are re-assembled in front of the message text.
/// </summary>
[Flags]
public enum SyslogKeepFields
{
    None = 0,
    Priority = 1,
    Version = 2,
    Timestamp = 4,
    Hostname = 8,
    All = 16,
}
