using System.Net;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Flume's <c>multiport_syslogtcp</c>: one source listening on several ports, each with its own
/// charset, delivering up to <c>batchSize</c> messages per channel transaction and optionally
/// recording the receiving port in <c>portHeader</c>. Unlike Flume, which logs and drops a batch
/// the channel refuses, a refused batch holds its connection until the channel takes it.
/// </summary>
public sealed class MultiportSyslogTcpSource : ISource
{
    private readonly SyslogTcpServer _server;

    public MultiportSyslogTcpSource(string name, MultiportSyslogTcpSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        Counter = new SourceCounter(name, "multiport_syslogtcp");
        _server = new SyslogTcpServer(name, settings.ToServerOptions(), processor, Counter, services.Time, services.Logs.CreateLogger<MultiportSyslogTcpSource>());
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>Where the source listens once started, in the order of <c>ports</c>.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints => _server.LocalEndpoints;

    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);
}
