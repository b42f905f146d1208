using System.Net;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// The agent's admin endpoint: Flume's JSON metrics at <c>/metrics</c>, Prometheus text at
/// <c>/metrics/prometheus</c>, liveness at <c>/healthz</c>, readiness at <c>/readyz</c>.
/// </summary>
public sealed class AdminServer(AgentHost host, MetricsRegistry metrics, ILoggerFactory logs) : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The port actually bound (useful when asked for port 0).</summary>
    public int Port { get; private set; }

    public async Task StartAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        var app = builder.Build();
        app.MapGet("/metrics", () => Results.Text(FlumeJsonMetrics.Render(metrics), "application/json"));
        app.MapGet("/metrics/prometheus", () => Results.Text(PrometheusMetrics.Render(metrics), PrometheusMetrics.ContentType));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () =>
        {
            var reason = Readiness.Check(host);
            return reason is null ? Results.Text("ready\n") : Results.Text(reason + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Port = new Uri(app.Urls.First()).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
