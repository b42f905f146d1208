using System.Text;

namespace FlumeK8s.Runtime.Metrics;

/// <summary>
/// The names the agent publishes under. Instruments are named with dots, as OpenTelemetry names them
/// (<c>flume.channel.event_put_success_count</c>); the Prometheus exporter turns the dots into
/// underscores, which gives exactly the names the agent has always exposed.
/// </summary>
internal static class MetricNames
{
    /// <summary>The one Meter every instrument of the agent belongs to (the OTLP instrumentation scope).</summary>
    public const string Meter = "FlumeK8s.Agent";

    public const string ConfigReloadSuccesses = "flumek8s.config_reload_success_total";
    public const string ConfigReloadFailures = "flumek8s.config_reload_failure_total";

    /// <summary>A Flume attribute of a component kind: (CHANNEL, EventPutSuccessCount) → flume.channel.event_put_success_count.</summary>
    public static string Instrument(string kind, string attribute) => $"flume.{kind.ToLowerInvariant()}.{SnakeCase(attribute)}";

    /// <summary>EventPutSuccessCount → event_put_success_count.</summary>
    public static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                text.Append('_');
            }
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
