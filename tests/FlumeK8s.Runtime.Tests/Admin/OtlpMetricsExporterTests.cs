using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;

namespace FlumeK8s.Runtime.Tests.Admin;

public sealed class OtlpMetricsExporterTests
{
    [Fact]
    public async Task Flush_SendsFlumeCountersToAnOtlpHttpReceiver()
    {
        var received = new ConcurrentQueue<byte[]>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await receiver.StartAsync();
        var port = new Uri(receiver.Urls.First()).Port;

        using var metrics = new MetricsRegistry();
        var channel = new MemoryChannel("c1", new MemoryChannelSettings(10, 10, TimeSpan.Zero, 1000));
        metrics.Register(channel.Counter);
        channel.Counter.AddPutSuccesses(7);
        metrics.CountReload(succeeded: true);
        using var otherAgent = new MetricsRegistry(); // same Meter name, in the same process: not this exporter's
        otherAgent.Register(new SinkCounter("elsewhere", "null"));
        using var exporter = new OtlpMetricsExporter(metrics,
            new OtlpSettings(new Uri($"http://127.0.0.1:{port}/v1/metrics"), OtlpExportProtocol.HttpProtobuf, TimeSpan.FromMinutes(10)), "a1");
        Assert.True(exporter.Flush(TimeSpan.FromSeconds(10)));

        await Eventually.TrueAsync(() => !received.IsEmpty, "an OTLP export request");
        // OTLP protobuf carries names and string attributes as UTF-8.
        var text = Encoding.UTF8.GetString(received.SelectMany(b => b).ToArray());
        Assert.Contains("flume.channel.event_put_success_count", text);
        Assert.Contains("flume.channel.channel_fill_percentage", text);
        Assert.Contains("component", text);
        Assert.Contains("flumek8s-agent", text);
        Assert.Contains("flumek8s.config_reload_success_total", text);
        Assert.Contains("process.resident_memory_bytes", text);
        Assert.DoesNotContain("elsewhere", text);
        await receiver.StopAsync();
    }
}
