using FlumeK8s.Runtime.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// Pushes the registry's instruments to an OpenTelemetry collector over OTLP: the Flume attributes
/// (<c>flume.sink.event_drain_success_count</c> with <c>component</c> and <c>type</c> attributes),
/// the reload counts and the process figures, under the instrumentation scope <c>FlumeK8s.Agent</c>.
/// </summary>
public sealed class OtlpMetricsExporter : IDisposable
{
    private readonly MeterProvider _provider;

    public OtlpMetricsExporter(MetricsRegistry metrics, OtlpSettings settings, string agentName)
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("flumek8s-agent", serviceInstanceId: $"{agentName}@{Environment.MachineName}"))
            .AddAgentMeter(metrics)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = settings.Endpoint;
                exporter.Protocol = settings.Protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.Interval.TotalMilliseconds;
            })
            .Build();
    }

    /// <summary>Exports what is there now; used at shutdown so the last figures are not lost.</summary>
    public bool Flush(TimeSpan timeout) => _provider.ForceFlush((int)timeout.TotalMilliseconds);

    public void Dispose() => _provider.Dispose();
}

/// <summary>Where and how often to push OTLP metrics.</summary>
public sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, TimeSpan Interval);
