using System.Text;
using System.Text.Json;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Sources.Http;

/// <summary>
/// Flume's JSON event format, <c>[{"headers":{"k":"v"},"body":"text"}, …]</c>, parsed token by
/// token as the bytes arrive: where it stands between tokens is kept here, so it can stop at any
/// token boundary and resume with the next bytes, and a request never has to be held whole.
/// A body without escapes is copied once into its event. Like Flume (Gson), numbers and booleans
/// are taken as text, a missing or null body is empty, and unknown fields are ignored. Anything
/// else is refused with a message naming the event at fault.
/// </summary>
internal sealed class JsonEventParser(Encoding? bodyEncoding)
{
    private const string Shape = "the body must be a JSON array of events like [{\"headers\":{\"k\":\"v\"},\"body\":\"text\"}]";

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private enum Expect { Array, EventOrEnd, FieldOrEnd, Body, Headers, HeaderOrEnd, HeaderValue, UnknownValue, InsideUnknown, Nothing }

    private JsonReaderState _state;
    private Expect _expect = Expect.Array;
    private bool _pastBom;
    private int _unknownDepth;
    private byte[]? _body;
    private Dictionary<string, string>? _headers;
    private string? _headerKey;

    public List<Event> Events { get; } = [];

    /// <summary>
    /// Parses the complete tokens at the start of <paramref name="json"/> and returns how many bytes
    /// they took; the rest, an unfinished token, must be offered again with the bytes that follow it.
    /// With <paramref name="isFinalBlock"/> the input ends here and must have closed the array.
    /// </summary>
    /// <exception cref="HttpSourceRequestException">The bytes are not JSON, or not Flume's event array.</exception>
    public int Parse(ReadOnlySpan<byte> json, bool isFinalBlock)
    {
        // A byte order mark (or several, as a UTF-16 request transcoded to UTF-8 may start) is not JSON: skip it.
        var bom = 0;
        while (!_pastBom)
        {
            var rest = json[bom..];
            if (rest.StartsWith(Utf8Bom))
            {
                bom += Utf8Bom.Length;
            }
            else if (!isFinalBlock && rest.Length < Utf8Bom.Length && Utf8Bom.StartsWith(rest))
            {
                return bom;
            }
            else
            {
                _pastBom = true;
            }
        }
        try
        {
            var reader = new Utf8JsonReader(json[bom..], isFinalBlock, _state);
            while (reader.Read())
            {
                Take(ref reader);
            }
            if (isFinalBlock && _expect != Expect.Nothing)
            {
                throw new HttpSourceRequestException(_expect == Expect.Array ? Shape : "the body ended before its array was closed");
            }
            _state = reader.CurrentState;
            return bom + (int)reader.BytesConsumed;
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

    private void Take(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        switch (_expect)
        {
            case Expect.Array:
                _expect = token == JsonTokenType.StartArray ? Expect.EventOrEnd : throw new HttpSourceRequestException(Shape);
                break;
            case Expect.EventOrEnd when token == JsonTokenType.EndArray:
                _expect = Expect.Nothing;
                break;
            case Expect.EventOrEnd when token == JsonTokenType.StartObject:
                (_body, _headers) = (null, null);
                _expect = Expect.FieldOrEnd;
                break;
            case Expect.EventOrEnd:
                throw Bad($"expected an object with \"headers\" and \"body\" but found {Describe(token)}");
            case Expect.FieldOrEnd when token == JsonTokenType.EndObject:
                Events.Add(new Event(_body ?? [], _headers));
                _expect = Expect.EventOrEnd;
                break;
            case Expect.FieldOrEnd:
                _expect = reader.ValueTextEquals("body"u8) ? Expect.Body
                    : reader.ValueTextEquals("headers"u8) ? Expect.Headers
                    : Expect.UnknownValue;
                break;
            case Expect.Body:
                _body = ReadBody(ref reader);
                _expect = Expect.FieldOrEnd;
                break;
            case Expect.Headers:
                _headers = null;
                _expect = token switch
                {
                    JsonTokenType.Null => Expect.FieldOrEnd,
                    JsonTokenType.StartObject => Expect.HeaderOrEnd,
                    _ => throw Bad($"\"headers\" must be an object of strings but is {Describe(token)}"),
                };
                break;
            case Expect.HeaderOrEnd:
                _headerKey = token == JsonTokenType.EndObject ? null : reader.GetString()!;
                _expect = _headerKey is null ? Expect.FieldOrEnd : Expect.HeaderValue;
                break;
            case Expect.HeaderValue:
                (_headers ??= new Dictionary<string, string>(StringComparer.Ordinal))[_headerKey!] = token switch
                {
                    JsonTokenType.String => reader.GetString()!,
                    JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => throw Bad($"header \"{_headerKey}\" must be a string but is {Describe(token)}"),
                };
                _expect = Expect.HeaderOrEnd;
                break;
            case Expect.UnknownValue or Expect.InsideUnknown:
                // An ignored field's value is walked token by token, so even a huge one is never held whole.
                _unknownDepth += token is JsonTokenType.StartObject or JsonTokenType.StartArray ? 1
                    : token is JsonTokenType.EndObject or JsonTokenType.EndArray ? -1
                    : 0;
                _expect = _unknownDepth == 0 ? Expect.FieldOrEnd : Expect.InsideUnknown;
                break;
        }
    }

    private byte[] ReadBody(ref Utf8JsonReader reader)
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
                throw Bad($"\"body\" must be a string but is {Describe(reader.TokenType)}");
        }
    }

    private static byte[] Unescape(ref Utf8JsonReader reader)
    {
        // Unescaping never makes a string longer, so the escaped length is enough room. Not rented:
        // a large body's buffer would stay in the shared pool after the request.
        var body = GC.AllocateUninitializedArray<byte>(reader.ValueSpan.Length);
        var length = reader.CopyString(body);
        return length == body.Length ? body : body[..length];
    }

    private HttpSourceRequestException Bad(string problem) => new($"event {Events.Count}: {problem}");

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
