using System.Net;
using FlumeK8s.Runtime.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Operator.Observability;

/// <summary>
/// The operator's HTTP endpoint: <c>/metrics</c> (Prometheus text), <c>/healthz</c> (the process
/// serves) and <c>/readyz</c> (it has reached the API server and its controller runs, or it waits
/// for the Lease as a standby). GET and HEAD.
/// </summary>
internal sealed class OperatorEndpoint(OperatorMetrics metrics, OperatorReadiness readiness, ILoggerFactory logs) : IAsyncDisposable
{
    private static readonly string[] GetAndHead = ["GET", "HEAD"];
    private readonly EmbeddedWebServer _server = new();

    public int Port => _server.Port;

    public Task StartAsync(IPAddress address, int port, CancellationToken cancellationToken) =>
        _server.StartAsync(logs, kestrel => kestrel.Listen(address, port), app =>
        {
            app.MapMethods("/metrics", GetAndHead, () => Results.Text(metrics.Render(), OperatorMetrics.ContentType));
            app.MapMethods("/healthz", GetAndHead, () => Results.Text("ok\n"));
            app.MapMethods("/readyz", GetAndHead, () => readiness.NotReadyReason is { } reason
                ? Results.Text(reason + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready\n"));
        }, cancellationToken);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
