using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// What an agent answers on its admin endpoint's <c>/drain</c>: whether it drains (sources stopped,
/// sinks emptying its channels), whether every channel is empty, and the events it still holds.
/// </summary>
internal sealed record DrainStatus(bool Draining, bool Empty, long Events)
{
    /// <summary>The agent's JSON, or null when it is not that (a proxy's error page, an older agent).</summary>
    public static DrainStatus? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject o && o["draining"] is JsonValue draining && o["empty"] is JsonValue empty && o["events"] is JsonValue events
                ? new DrainStatus(draining.GetValue<bool>(), empty.GetValue<bool>(), events.GetValue<long>())
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
