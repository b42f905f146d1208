using OpenTelemetry.Metrics;

namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// How an OpenTelemetry MeterProvider (the Prometheus scrape, the OTLP push) takes a registry's
/// instruments. Providers subscribe to Meters by name, and every registry's Meter has the same name
/// (a test process runs many agents' registries at once), so a view drops every instrument that is
/// not of this registry's Meter instance.
/// </summary>
internal static class AgentMeterSubscription
{
    /// <summary>
    /// Metric points an exporter keeps per instrument. The SDK allocates them up front (about 90
    /// bytes each; its default of 2000 cost 11 MB of heap for 60 instruments) and never frees one
    /// while the process lives, even when its component is gone: a reload that renames or retypes
    /// components uses new ones. An agent runs a handful of components of each kind, so this
    /// leaves room for hundreds of renames; past it the SDK folds new components into one series
    /// labelled <c>otel_metric_overflow="true"</c>.
    /// </summary>
    public const int SeriesPerInstrument = 256;

    public static MeterProviderBuilder AddAgentMeter(this MeterProviderBuilder builder, MetricsRegistry metrics) =>
        builder
            .AddMeter(MetricNames.Meter)
            .AddView(instrument => ReferenceEquals(instrument.Meter, metrics.Meter)
                ? new MetricStreamConfiguration { CardinalityLimit = SeriesPerInstrument }
                : MetricStreamConfiguration.Drop);
}
