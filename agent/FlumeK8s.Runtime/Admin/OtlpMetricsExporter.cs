using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FlumeK8s.Runtime.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// Pushes the agent's counters to an OpenTelemetry collector over OTLP. Each Flume attribute
/// becomes an instrument named like the Prometheus metric with dots (<c>flume.sink.event_drain_success_count</c>)
/// carrying <c>component</c> and <c>type</c> attributes. Components come and go with reloads, so
/// instruments are created as new attribute names appear.
/// </summary>
public sealed class OtlpMetricsExporter : IDisposable
{
    public const string MeterName = "FlumeK8s.Agent";

    private readonly MetricsRegistry _metrics;
    private readonly Meter _meter = new(MeterName);
    private readonly ConcurrentDictionary<string, bool> _instruments = new(StringComparer.Ordinal);
    private readonly MeterProvider _provider;

    public OtlpMetricsExporter(MetricsRegistry metrics, OtlpSettings settings, string agentName)
    {
        _metrics = metrics;
        _meter.CreateObservableGauge("flumek8s.components", () =>
        {
            // Runs on every collection: a chance to add instruments for attribute names seen since the last one.
            AddInstruments();
            return _metrics.Counters.Count;
        });
        AddInstruments();
        _provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("flumek8s-agent", serviceInstanceId: $"{agentName}@{Environment.MachineName}"))
            .AddMeter(MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = settings.Endpoint;
                exporter.Protocol = settings.Protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.Interval.TotalMilliseconds;
            })
            .Build()!;
    }

    /// <summary>Exports what is there now; used at shutdown so the last figures are not lost.</summary>
    public bool Flush(TimeSpan timeout) => _provider.ForceFlush((int)timeout.TotalMilliseconds);

    public void Dispose()
    {
        _provider.Dispose();
        _meter.Dispose();
    }

    private void AddInstruments()
    {
        foreach (var counter in _metrics.Counters)
        {
            foreach (var (attribute, _) in counter.Snapshot())
            {
                AddInstrument(counter.Kind, attribute);
            }
            if (counter is ChannelCounter)
            {
                AddInstrument(counter.Kind, "ChannelFillPercentage");
            }
        }
    }

    private void AddInstrument(string kind, string attribute)
    {
        var name = $"flume.{kind.ToLowerInvariant()}.{PrometheusMetrics.SnakeCase(attribute)}";
        if (!_instruments.TryAdd(name, true))
        {
            return;
        }
        if (attribute == "ChannelFillPercentage")
        {
            _meter.CreateObservableGauge(name, () => Measure(kind, c => c is ChannelCounter ch ? ch.FillPercentage : null));
        }
        else if (PrometheusMetrics.IsGauge(attribute))
        {
            _meter.CreateObservableGauge(name, () => Measure(kind, c => Value(c, attribute)));
        }
        else
        {
            _meter.CreateObservableCounter(name, () => Measure(kind, c => Value(c, attribute)));
        }
    }

    private static double? Value(ComponentCounter counter, string attribute) =>
        counter.AttributeNames.Contains(attribute) ? counter.Get(attribute) : null;

    private IEnumerable<Measurement<double>> Measure(string kind, Func<ComponentCounter, double?> read)
    {
        foreach (var counter in _metrics.Counters)
        {
            if (counter.Kind == kind && read(counter) is { } value)
            {
                yield return new Measurement<double>(value,
                    new KeyValuePair<string, object?>("component", counter.Name),
                    new KeyValuePair<string, object?>("type", counter.ComponentType));
            }
        }
    }
}

/// <summary>Where and how often to push OTLP metrics.</summary>
public sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, TimeSpan Interval);
