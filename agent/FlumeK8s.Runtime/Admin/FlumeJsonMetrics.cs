using System.Globalization;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Admin;

/// <summary>Flume's JSON monitoring format: <c>{"CHANNEL.c1": {"ChannelSize": "3", …}}</c>, every value a string.</summary>
public static class FlumeJsonMetrics
{
    public static string Render(MetricsRegistry metrics) => JsonText.Write(json =>
    {
        json.WriteStartObject();
        foreach (var counter in metrics.Counters)
        {
            json.WriteStartObject(counter.Key);
            json.WriteString("Type", counter.Kind);
            json.WriteString("StartTime", counter.StartTime.ToString(CultureInfo.InvariantCulture));
            json.WriteString("StopTime", counter.StopTime.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in counter.Snapshot())
            {
                json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            }
            if (counter is ChannelCounter channel)
            {
                json.WriteString("ChannelFillPercentage", channel.FillPercentage.ToString(CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    });
}
