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
/// <c>/metrics/prometheus</c>, liveness at <c>/healthz</c>, readiness at <c>/readyz</c>, draining at
/// <c>/drain</c> (<see cref="DrainEndpoints"/>). Each GET also answers HEAD, without the body
/// (Kestrel drops it): probes and load balancers that check with HEAD must not read a 405 as "down".
/// </summary>
public sealed class AdminServer(AgentHost host, MetricsRegistry metrics, ILoggerFactory logs) : IAsyncDisposable
{
    internal static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    private readonly EmbeddedWebServer _server = new();
    private readonly PrometheusEndpoint _prometheus = new(metrics);

    /// <summary>The port actually bound (useful when asked for port 0).</summary>
    public int Port => _server.Port;

    public async Task StartAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        await _server.StartAsync(logs, kestrel => kestrel.Listen(address, port), app =>
        {
            app.MapMethods("/metrics", GetAndHead, () => Results.Text(FlumeJsonMetrics.Render(metrics), "application/json"));
            _prometheus.Map(app);
            app.MapMethods("/healthz", GetAndHead, () => host.BrokenReason is { } broken
                ? Results.Text(broken + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok\n"));
            app.MapMethods("/readyz", GetAndHead, () =>
            {
                var reason = Readiness.Check(host);
                return reason is null ? Results.Text("ready\n") : Results.Text(reason + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            });
            DrainEndpoints.Map(app, host);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _prometheus.Dispose();
    }
}
