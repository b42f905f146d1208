using FlumeK8s.Plugins;

namespace FlumeK8s.Runtime.Events;

/// <summary>
/// The unit of data: headers (unique string keys) and an opaque body.
/// Headers are created on first write so header-less events (the common case for
/// generated and tailed data) cost one object and their body. Plugins see the same object as an
/// <see cref="IEvent"/>, so handing events to them copies nothing.
/// </summary>
public sealed class Event : IEvent
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    private Dictionary<string, string>? _headers;

    public Event(byte[] body, Dictionary<string, string>? headers = null)
    {
        Body = body;
        _headers = headers;
    }

    public byte[] Body { get; set; }

    /// <summary>The mutable header map; allocates it when the event has none yet.</summary>
    public Dictionary<string, string> Headers => _headers ??= new Dictionary<string, string>(StringComparer.Ordinal);

    IDictionary<string, string> IEvent.Headers => Headers;

    public bool HasHeaders => _headers is { Count: > 0 };

    /// <summary>Read-only view that never allocates.</summary>
    public IReadOnlyDictionary<string, string> HeadersOrEmpty => _headers ?? NoHeaders;

    public string? GetHeader(string key) =>
        _headers is not null && _headers.TryGetValue(key, out var value) ? value : null;

    public static Event FromText(string body, Dictionary<string, string>? headers = null) =>
        new(System.Text.Encoding.UTF8.GetBytes(body), headers);
}
