using FlumeK8s.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// <c>/metrics/prometheus</c>: the registry's instruments in Prometheus text format 0.0.4, written by
/// OpenTelemetry's Prometheus exporter. Set so the output keeps the names the agent has always
/// exposed: no <c>_total</c> added to counters (the names are Flume's), no scope labels, no
/// <c>target_info</c>. Each scrape reads the instruments afresh (no response cache), so a value is
/// never older than the request.
/// </summary>
internal sealed class PrometheusEndpoint : IDisposable
{
    public const string Path = "/metrics/prometheus";

    private readonly MeterProvider _provider;

    public PrometheusEndpoint(MetricsRegistry metrics)
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddAgentMeter(metrics)
            .AddPrometheusExporter(exporter =>
            {
                exporter.DisableTotalNameSuffixForCounters = true;
                exporter.ScopeInfoEnabled = false;
                exporter.TargetInfoEnabled = false;
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
            })
            .Build();
    }

    /// <summary>Serves the scrape at <see cref="Path"/> for GET and HEAD; other methods get 405 as on every admin path.</summary>
    public void Map(WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(Path, _provider, configureBranchedPipeline: null, optionsName: null)
            .WithMetadata(new HttpMethodMetadata(AdminServer.GetAndHead));

    public void Dispose() => _provider.Dispose();
}
