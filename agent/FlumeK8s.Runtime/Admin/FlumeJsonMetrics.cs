using System.Globalization;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// Flume's JSON monitoring format: <c>{"CHANNEL.c1": {"Type": "CHANNEL", "StartTime": "…", "ChannelSize": "3", …}}</c>,
/// every value a string. The attributes are read from the registry's instruments, as every other
/// exporter reads them; <c>Type</c>, <c>StartTime</c> and <c>StopTime</c> describe the component
/// and come from its counter.
/// </summary>
public static class FlumeJsonMetrics
{
    public static string Render(MetricsRegistry metrics)
    {
        var components = metrics.ReadFlumeAttributes()
            .GroupBy(sample => sample.Key, StringComparer.Ordinal)
            .OrderBy(component => component.Key, StringComparer.Ordinal);
        return JsonText.Write(json =>
        {
            json.WriteStartObject();
            foreach (var component in components)
            {
                // Read a moment ago: a reload may have removed it since, and then it is not reported.
                if (metrics.Find(component.Key) is not { } counter)
                {
                    continue;
                }
                json.WriteStartObject(component.Key);
                json.WriteString("Type", counter.Kind);
                json.WriteString("StartTime", counter.StartTime.ToString(CultureInfo.InvariantCulture));
                json.WriteString("StopTime", counter.StopTime.ToString(CultureInfo.InvariantCulture));
                foreach (var sample in component)
                {
                    json.WriteString(sample.Attribute.Name, sample.Value);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });
    }
}
