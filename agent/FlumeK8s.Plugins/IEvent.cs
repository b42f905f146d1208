namespace FlumeK8s.Plugins;

/// <summary>The unit of data: headers (unique string keys) and an opaque body. The agent's own events, not copies.</summary>
public interface IEvent
{
    byte[] Body { get; set; }

    /// <summary>The mutable header map (created on first use).</summary>
    IDictionary<string, string> Headers { get; }

    /// <summary>A header's value, or null; never creates the map.</summary>
    string? GetHeader(string key);
}
