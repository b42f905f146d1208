using System.Text;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>One port a syslog TCP server listens on, with the charset its messages are decoded in.</summary>
internal sealed record SyslogTcpPort(int Port, Encoding Charset);
