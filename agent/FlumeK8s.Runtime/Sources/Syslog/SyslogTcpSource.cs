using System.Net;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Flume's <c>syslogtcp</c>: RFC 3164 / RFC 5424 messages over TCP, newline-delimited or
/// octet-counted (RFC 6587), one channel transaction per message. A full channel holds the
/// connection (backpressure); nothing read is dropped.
/// </summary>
public sealed class SyslogTcpSource : ISource
{
    private readonly SyslogTcpServer _server;

    public SyslogTcpSource(string name, SyslogTcpSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        Counter = new SourceCounter(name, "syslogtcp");
        _server = new SyslogTcpServer(name, settings.ToServerOptions(), processor, Counter, services.Time, services.Logs.CreateLogger<SyslogTcpSource>());
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>Where the source listens once started; a configured port 0 shows the port chosen.</summary>
    public IPEndPoint LocalEndpoint => _server.LocalEndpoints[0];

    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);
}
