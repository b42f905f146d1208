using System.Buffers;
using System.Text;
using System.Text.Json;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Parses Flume's JSON event format, <c>[{"headers":{"k":"v"},"body":"text"}, …]</c>, straight from
/// UTF-8 bytes: a body without escapes is copied once into the event, so an event costs its body,
/// its header strings and the event object. Like Flume (Gson), numbers and booleans are taken as
/// text, a missing or null body is empty, and unknown fields are ignored. Anything else is refused
/// with a message naming the event at fault.
/// </summary>
internal static class JsonEventReader
{
    private const string Shape = "the body must be a JSON array of events like [{\"headers\":{\"k\":\"v\"},\"body\":\"text\"}]";

    /// <param name="bodyEncoding">The encoding event bodies are stored in when it is not UTF-8 (the request's charset, as Flume does).</param>
    public static List<Event> Read(ReadOnlySpan<byte> json, Encoding? bodyEncoding)
    {
        try
        {
            return ReadArray(json, bodyEncoding);
        }
        catch (JsonException e)
        {
            throw new HttpSourceRequestException($"the body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports text it cannot decode (invalid UTF-8 in a string) this way.
            throw new HttpSourceRequestException($"the body is not valid JSON: {e.Message}");
        }
    }

    private static List<Event> ReadArray(ReadOnlySpan<byte> json, Encoding? bodyEncoding)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new HttpSourceRequestException(Shape);
        }
        // Sized for ~128 bytes per event so typical batches never regrow the list.
        var events = new List<Event>(Math.Min(json.Length / 128 + 1, 16 * 1024));
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Bad(events.Count, $"expected an object with \"headers\" and \"body\" but found {Describe(reader.TokenType)}");
            }
            events.Add(ReadEvent(ref reader, events.Count, bodyEncoding));
        }
        // Reading past the array makes the reader reject anything after it.
        reader.Read();
        return events;
    }

    private static Event ReadEvent(ref Utf8JsonReader reader, int index, Encoding? bodyEncoding)
    {
        byte[]? body = null;
        Dictionary<string, string>? headers = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                body = ReadBody(ref reader, index, bodyEncoding);
            }
            else if (reader.ValueTextEquals("headers"u8))
            {
                reader.Read();
                headers = ReadHeaders(ref reader, index);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new Event(body ?? [], headers);
    }

    private static byte[] ReadBody(ref Utf8JsonReader reader, int index, Encoding? bodyEncoding)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return [];
            case JsonTokenType.String when bodyEncoding is null:
                return reader.ValueIsEscaped ? Unescape(ref reader) : reader.ValueSpan.ToArray();
            case JsonTokenType.String:
                return bodyEncoding.GetBytes(reader.GetString()!);
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                return bodyEncoding is null ? reader.ValueSpan.ToArray() : bodyEncoding.GetBytes(Encoding.UTF8.GetString(reader.ValueSpan));
            default:
                throw Bad(index, $"\"body\" must be a string but is {Describe(reader.TokenType)}");
        }
    }

    private static byte[] Unescape(ref Utf8JsonReader reader)
    {
        // Unescaping never makes a string longer, so the escaped length is enough room.
        var scratch = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(scratch);
            return scratch.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static Dictionary<string, string>? ReadHeaders(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Bad(index, $"\"headers\" must be an object of strings but is {Describe(reader.TokenType)}");
        }
        Dictionary<string, string>? headers = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            var value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => throw Bad(index, $"header \"{key}\" must be a string but is {Describe(reader.TokenType)}"),
            };
            (headers ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
        }
        return headers;
    }

    private static HttpSourceRequestException Bad(int index, string problem) => new($"event {index}: {problem}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
