using System.Text.Json;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// The drain status on the wire:
/// <c>{"draining":true,"empty":false,"events":1234,"channels":{"disk":1234}}</c>. Small and stable:
/// numbers are JSON numbers, channels in name order, nothing else. The operator reads it with
/// <see cref="Parse"/>, so both ends share one definition.
/// </summary>
public static class DrainStatusJson
{
    public static string Render(DrainStatus status) => JsonText.Write(json =>
    {
        json.WriteStartObject();
        json.WriteBoolean("draining", status.Draining);
        json.WriteBoolean("empty", status.Empty);
        json.WriteNumber("events", status.Events);
        json.WriteStartObject("channels");
        foreach (var (name, events) in status.Channels.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(name, events);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    });

    /// <summary>Reads what <see cref="Render"/> wrote; fields it does not know are ignored, so the agent may add some.</summary>
    /// <exception cref="JsonException">The text is not a drain status.</exception>
    public static DrainStatus Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        try
        {
            var channels = root.GetProperty("channels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
            return new DrainStatus(root.GetProperty("draining").GetBoolean(), root.GetProperty("empty").GetBoolean(),
                root.GetProperty("events").GetInt64(), channels);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"not a drain status: {e.Message}", e);
        }
    }
}
