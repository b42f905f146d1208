using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Network;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// The listening half shared by <c>syslogtcp</c> and <c>multiport_syslogtcp</c>: binds every
/// configured port (all or nothing, so a port taken by someone else fails the start instead of
/// leaving a source that silently listens on fewer ports) and runs one
/// <see cref="SyslogTcpConnection"/> per client, each port with its own parser (its charset).
/// </summary>
internal sealed class SyslogTcpServer(
    string sourceName,
    SyslogTcpServerOptions options,
    ChannelProcessor processor,
    SourceCounter counter,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly TcpConnectionListener _listener = new(AcceptRetryDelay, time, e => SyslogLog.AcceptFailed(logger, sourceName, e));

    public string SourceName => sourceName;

    public SyslogTcpServerOptions Options => options;

    public ChannelProcessor Processor => processor;

    public SourceCounter Counter => counter;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    public ClientHostnames? Hostnames { get; } = options.ClientHostnameHeader is null ? null : new ClientHostnames(time);

    /// <summary>The bound endpoints (a configured port 0 shows the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints => _listener.LocalEndpoints;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = await ListenAddress.ResolveAsync(options.Host, cancellationToken).ConfigureAwait(false);
        foreach (var port in options.Ports)
        {
            var parser = new SyslogParser(options.KeepFields, port.Charset, time);
            IPEndPoint endpoint;
            try
            {
                endpoint = _listener.Listen(new IPEndPoint(address, port.Port), (client, ct) => new SyslogTcpConnection(this, client, parser).RunAsync(ct));
            }
            catch (SocketException e)
            {
                _listener.CloseListeners();
                throw new InvalidOperationException($"Syslog source {sourceName} cannot listen on {options.Host}:{port.Port}: {e.Message}", e);
            }
            SyslogLog.Listening(logger, sourceName, "TCP", endpoint.ToString());
        }
        _listener.Start();
    }

    /// <summary>Closes the listeners, cancels the connections and waits for them.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _listener.StopAsync(cancellationToken);
}
