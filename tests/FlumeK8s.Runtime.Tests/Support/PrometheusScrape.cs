using System.Net;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Hosting;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>A registry's Prometheus text as the admin endpoint serves it: the real exporter, scraped over loopback.</summary>
public static class PrometheusScrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<string> TextAsync(MetricsRegistry metrics)
    {
        using var endpoint = new PrometheusEndpoint(metrics);
        await using var server = new EmbeddedWebServer();
        await Eventually.Within(server.StartAsync(NullLoggerFactory.Instance, kestrel => kestrel.Listen(IPAddress.Loopback, 0), endpoint.Map, CancellationToken.None));
        return await Eventually.Within(Http.GetStringAsync($"http://127.0.0.1:{server.Port}{PrometheusEndpoint.Path}"));
    }
}
