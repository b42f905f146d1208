using System.Globalization;
using System.Text.Json;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// What one agent's <c>/metrics</c> (Flume's JSON) says about its flow: events its sources accepted,
/// events its sinks drained, events in its channels and the fullest channel's fill.
/// </summary>
internal sealed record MetricsSample(long In, long Out, long ChannelSize, double FillPercentage)
{
    public static readonly MetricsSample Zero = new(0, 0, 0, 0);

    public static MetricsSample Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        long input = 0, output = 0, size = 0;
        double fill = 0;
        foreach (var component in document.RootElement.EnumerateObject())
        {
            if (component.Name.StartsWith("SOURCE.", StringComparison.Ordinal))
            {
                input += Long(component.Value, "EventAcceptedCount");
            }
            else if (component.Name.StartsWith("SINK.", StringComparison.Ordinal))
            {
                output += Long(component.Value, "EventDrainSuccessCount");
            }
            else if (component.Name.StartsWith("CHANNEL.", StringComparison.Ordinal))
            {
                size += Long(component.Value, "ChannelSize");
                fill = Math.Max(fill, Double(component.Value, "ChannelFillPercentage"));
            }
        }
        return new MetricsSample(input, output, size, fill);
    }

    /// <summary>Counters of a process's earlier runs plus its current one (a restart starts them at zero).</summary>
    public MetricsSample Plus(MetricsSample later) => new(In + later.In, Out + later.Out, later.ChannelSize, later.FillPercentage);

    private static long Long(JsonElement component, string name) =>
        component.TryGetProperty(name, out var value) && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static double Double(JsonElement component, string name) =>
        component.TryGetProperty(name, out var value) && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
