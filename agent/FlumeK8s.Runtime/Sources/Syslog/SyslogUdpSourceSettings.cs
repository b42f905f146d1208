using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// The <c>syslogudp</c> source's properties, with Flume's names and defaults. There is no
/// <c>eventSize</c>: a datagram is one whole message, however long.
/// </summary>
public sealed record SyslogUdpSourceSettings(
    string Host,
    int Port,
    SyslogKeepFields KeepFields,
    string? ClientIpHeader,
    string? ClientHostnameHeader)
{
    public static SyslogUdpSourceSettings Read(ComponentContext context) => new(
        context.Require("host"),
        SyslogSettingReaders.ReadPort(context, "port"),
        SyslogSettingReaders.ReadKeepFields(context),
        context.GetString("clientIPHeader"),
        context.GetString("clientHostnameHeader"));
}
