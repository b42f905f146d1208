using System.Buffers;
using System.Text;
using System.Text.Json;

namespace FlumeK8s.Runtime.Channels.Jdbc;

/// <summary>
/// Headers as a JSON object in a text column, so an operator can read a stuck backlog with
/// psql or sqlite3. Written and read by hand: no reflection, one pass each way.
/// </summary>
internal static class HeaderJson
{
    /// <summary>Null for an event without headers: the column stays NULL.</summary>
    public static string? Encode(IReadOnlyDictionary<string, string> headers, ArrayBufferWriter<byte> buffer)
    {
        if (headers.Count == 0)
        {
            return null;
        }
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in headers)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Dictionary<string, string>? Decode(string? json)
    {
        if (json is null)
        {
            return null;
        }
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            Expect(reader.Read() && reader.TokenType == JsonTokenType.String);
            headers[key] = reader.GetString()!;
        }
        Expect(reader.TokenType == JsonTokenType.EndObject);
        return headers;
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new InvalidDataException("the headers column is not a JSON object of strings");
        }
    }
}
