namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// What the shared TCP server needs from either TCP source. <see cref="BatchSize"/> is how many
/// messages go to the channel in one transaction (1 for <c>syslogtcp</c>, as in Flume).
/// </summary>
internal sealed record SyslogTcpServerOptions(
    string Host,
    IReadOnlyList<SyslogTcpPort> Ports,
    int EventSize,
    int BatchSize,
    int ReadBufferBytes,
    SyslogKeepFields KeepFields,
    string? PortHeader = null,
    string? ClientIpHeader = null,
    string? ClientHostnameHeader = null);
