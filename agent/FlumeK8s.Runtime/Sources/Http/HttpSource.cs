using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Hosting;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Delivery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Flume's HTTP source on Kestrel: every POST, to any path, is one batch of events read by the
/// configured handler. Kestrel is hosted without its own signal handling, as the admin endpoint is,
/// so the agent alone decides when it stops; stopping lets requests in flight finish until the
/// stop's cancellation token fires.
/// </summary>
public sealed partial class HttpSource : ISource
{
    private readonly HttpSourceSettings _settings;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _logger;
    private readonly HttpSourceRequests _requests;
    private readonly EmbeddedWebServer _server = new();

    public HttpSource(string name, HttpSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _logs = services.Logs;
        _logger = services.Logs.CreateLogger<HttpSource>();
        Counter = new SourceCounter(name, "http");
        _requests = new HttpSourceRequests(settings.Handler, settings.MaxRequestBodyBytes, new RequestDelivery(name, processor, Counter, _logger));
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The port actually bound once started (the one asked for, or the one the system chose for port 0).</summary>
    public int Port => _server.Port;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = await SourceEndpoint.ResolveAsync(_settings.Bind, _settings.Port, cancellationToken).ConfigureAwait(false);
        await _server.StartAsync(_logs, kestrel =>
        {
            // Kestrel refuses a longer body as it arrives (at once for a Content-Length over it); a
            // handler may have a lower limit of its own (the BLOB handler's maxBlobLength).
            kestrel.Limits.MaxRequestBodySize = _settings.MaxRequestBodyBytes;
            kestrel.Listen(endpoint);
        }, app => app.Run(_requests.HandleAsync), cancellationToken).ConfigureAwait(false);
        LogListening(_logger, Name, endpoint.Address.ToString(), Port);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP source {Source} listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string source, string address, int port);
}
