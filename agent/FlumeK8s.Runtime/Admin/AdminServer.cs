using System.Net;
using FlumeK8s.Runtime.Hosting;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// The agent's admin endpoint: Flume's JSON metrics at <c>/metrics</c>, Prometheus text at
/// <c>/metrics/prometheus</c>, liveness at <c>/healthz</c>, readiness at <c>/readyz</c>.
/// </summary>
public sealed class AdminServer(AgentHost host, MetricsRegistry metrics, ILoggerFactory logs) : IAsyncDisposable
{
    private readonly EmbeddedWebServer _server = new();

    /// <summary>The port actually bound (useful when asked for port 0).</summary>
    public int Port => _server.Port;

    public async Task StartAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        await _server.StartAsync(logs, kestrel => kestrel.Listen(address, port), app =>
        {
            app.MapGet("/metrics", () => Results.Text(FlumeJsonMetrics.Render(metrics), "application/json"));
            app.MapGet("/metrics/prometheus", () => Results.Text(PrometheusMetrics.Render(metrics), PrometheusMetrics.ContentType));
            app.MapGet("/healthz", () => host.BrokenReason is { } broken
                ? Results.Text(broken + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok\n"));
            app.MapGet("/readyz", () =>
            {
                var reason = Readiness.Check(host);
                return reason is null ? Results.Text("ready\n") : Results.Text(reason + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            });
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
