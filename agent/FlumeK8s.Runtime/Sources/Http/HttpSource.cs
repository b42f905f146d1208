using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    private WebApplication? _app;

    public HttpSource(string name, HttpSourceSettings settings, ChannelProcessor processor, AgentServices services)
    {
        Name = name;
        _settings = settings;
        _logs = services.Logs;
        _logger = services.Logs.CreateLogger<HttpSource>();
        Counter = new SourceCounter(name, "http");
        _requests = new HttpSourceRequests(settings.Handler, processor, Counter, _logger);
    }

    public string Name { get; }

    public SourceCounter Counter { get; }

    /// <summary>The port actually bound once started (the one asked for, or the one the system chose for port 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = await SourceEndpoint.ResolveAsync(_settings.Bind, _settings.Port, cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_logs);
        builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Each handler enforces its own limit (the BLOB handler's maxBlobLength); Flume's JSON handler has none.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(endpoint);
        });
        var app = builder.Build();
        app.Run(_requests.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _app = app;
        Port = new Uri(app.Urls.First()).Port;
        LogListening(_logger, Name, endpoint.Address.ToString(), Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null)
        {
            return;
        }
        await app.StopAsync(cancellationToken).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP source {Source} listening on {Address}:{Port}")]
    private static partial void LogListening(ILogger logger, string source, string address, int port);
}
