using System.Text;
using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// The <c>syslogtcp</c> source's properties, with Flume's names and defaults. <c>eventSize</c>
/// is the longest message in bytes before it is cut and marked Incomplete (Flume raises values
/// below 10 to 10 silently; here they are an error).
/// </summary>
public sealed record SyslogTcpSourceSettings(
    string Host,
    int Port,
    int EventSize,
    SyslogKeepFields KeepFields,
    string? ClientIpHeader,
    string? ClientHostnameHeader)
{
    public const int DefaultEventSize = 2500;

    public static SyslogTcpSourceSettings Read(ComponentContext context) => new(
        context.Require("host"),
        SyslogSettingReaders.ReadPort(context, "port"),
        context.GetInt("eventSize", DefaultEventSize, min: 10),
        SyslogSettingReaders.ReadKeepFields(context),
        context.GetString("clientIPHeader"),
        context.GetString("clientHostnameHeader"));

    // Flume's syslogtcp source commits every message on its own: batch size 1.
    internal SyslogTcpServerOptions ToServerOptions() => new(
        Host, [new SyslogTcpPort(Port, Encoding.UTF8)], EventSize, BatchSize: 1, ReadBufferBytes: 4096, KeepFields,
        ClientIpHeader: ClientIpHeader, ClientHostnameHeader: ClientHostnameHeader);
}
