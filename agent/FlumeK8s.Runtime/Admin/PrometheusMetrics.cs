using System.Globalization;
using System.Text;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// The same counters in Prometheus text exposition format 0.0.4. A Flume attribute becomes
/// <c>flume_&lt;kind&gt;_&lt;attribute in snake_case&gt;</c> with labels <c>component</c> and
/// <c>type</c>, e.g. <c>flume_channel_event_put_success_count{component="c1",type="memory"}</c>.
/// </summary>
public static class PrometheusMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly HashSet<string> Gauges = new(StringComparer.Ordinal)
    {
        "ChannelSize", "ChannelCapacity", "ChannelFillPercentage", "OpenConnectionCount", "Open", "Closed", "Unhealthy",
        "ResidentMemoryBytes", "HeapSizeBytes",
    };

    private static readonly string[] GaugeSuffixes = [.. Gauges.Select(SnakeCase)];

    public static string Render(MetricsRegistry metrics)
    {
        var samples = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var counter in metrics.Counters)
        {
            var labels = $"{{component=\"{Escape(counter.Name)}\",type=\"{Escape(counter.ComponentType)}\"}}";
            foreach (var (name, value) in counter.Snapshot())
            {
                Add(samples, MetricName(counter.Kind, name), labels, value.ToString(CultureInfo.InvariantCulture));
            }
            if (counter is ChannelCounter channel)
            {
                Add(samples, MetricName(counter.Kind, "ChannelFillPercentage"), labels, channel.FillPercentage.ToString("0.###", CultureInfo.InvariantCulture));
            }
        }
        Add(samples, "flumek8s_config_reload_success_total", "", metrics.ConfigReloadSuccesses.ToString(CultureInfo.InvariantCulture));
        Add(samples, "flumek8s_config_reload_failure_total", "", metrics.ConfigReloadFailures.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in ProcessMetrics())
        {
            Add(samples, name, "", value.ToString(CultureInfo.InvariantCulture));
        }

        var text = new StringBuilder();
        foreach (var (metric, lines) in samples)
        {
            var isGauge = GaugeSuffixes.Any(g => metric.EndsWith(g, StringComparison.Ordinal));
            text.Append("# TYPE ").Append(metric).Append(isGauge ? " gauge\n" : " counter\n");
            foreach (var line in lines)
            {
                text.Append(line).Append('\n');
            }
        }
        return text.ToString();
    }

    // Standard process and runtime figures, so memory and allocation can be watched (and benchmarked) from outside.
    private static IEnumerable<(string Name, long Value)> ProcessMetrics()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        yield return ("process_resident_memory_bytes", process.WorkingSet64);
        yield return ("process_peak_resident_memory_bytes", process.PeakWorkingSet64);
        yield return ("dotnet_gc_allocated_bytes_total", GC.GetTotalAllocatedBytes(precise: false));
        yield return ("dotnet_gc_heap_size_bytes", GC.GetTotalMemory(forceFullCollection: false));
    }

    public static string MetricName(string kind, string attribute) => $"flume_{kind.ToLowerInvariant()}_{SnakeCase(attribute)}";

    /// <summary>True for attributes that go up and down (sizes, open connections), false for monotonic counts.</summary>
    public static bool IsGauge(string attribute) => Gauges.Contains(attribute);

    private static void Add(SortedDictionary<string, List<string>> samples, string metric, string labels, string value)
    {
        if (!samples.TryGetValue(metric, out var lines))
        {
            samples[metric] = lines = [];
        }
        lines.Add($"{metric}{labels} {value}");
    }

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

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
