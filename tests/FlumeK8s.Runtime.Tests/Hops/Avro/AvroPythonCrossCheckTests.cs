using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>Our Avro bytes against Debian's python3-avro, both ways: python writes what we write, and reads what we wrote.</summary>
public sealed class AvroPythonCrossCheckTests
{
    private delegate object OurDecoder(byte[] bytes);

    private static readonly byte[] HashA = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
    private static readonly byte[] HashB = [.. Enumerable.Range(0, 16).Select(i => (byte)(0xF0 - i))];

    [Fact]
    public async Task Encodings_OfEventsAndHandshakes_MatchPythonAvroBothWays()
    {
        var cases = new List<(string Schema, JsonNode Datum, byte[] Ours, OurDecoder Decode)>();
        void AddEvent(Event e) => cases.Add(("event", EventJson(e), Encode(w => AvroFlumeEventCodec.Write(w, e)), b => EventJson(DecodeEvent(b))));
        void AddEvents(params Event[] events) => cases.Add(("events", new JsonArray([.. events.Select(EventJson)]), Encode(w => AvroFlumeEventCodec.WriteArray(w, events)), b => EventsJson(b)));
        void AddRequest(HandshakeRequest r) => cases.Add(("hsreq", RequestJson(r), Encode(r.Write), b => RequestJson(DecodeRequest(b))));
        void AddResponse(HandshakeResponse r) => cases.Add(("hsresp", ResponseJson(r), Encode(r.Write), b => ResponseJson(DecodeResponse(b))));

        AddEvent(new Event([]));
        AddEvent(Event.FromText("hello", new Dictionary<string, string> { ["host"] = "web-1", ["timestamp"] = "1700000000000" }));
        AddEvent(new Event([.. Enumerable.Range(0, 300).Select(i => (byte)i)], new Dictionary<string, string> { ["ключ"] = "значение ✓", [""] = "" }));
        AddEvents();
        AddEvents(Event.FromText("a"), Event.FromText("b", new Dictionary<string, string> { ["k"] = "v" }), new Event(new byte[70]));
        AddEvents([.. Enumerable.Range(0, 70).Select(i => Event.FromText($"event {i}"))]);
        AddRequest(new HandshakeRequest(HashA, null, HashB));
        AddRequest(new HandshakeRequest(HashA, AvroSourceProtocol.Json, HashA, new Dictionary<string, byte[]> { ["m"] = [1, 2, 3] }));
        AddResponse(new HandshakeResponse(HandshakeMatch.Both, null, null));
        AddResponse(new HandshakeResponse(HandshakeMatch.Client, AvroSourceProtocol.Json, AvroSourceProtocol.Hash));
        AddResponse(new HandshakeResponse(HandshakeMatch.None, AvroSourceProtocol.Json, HashB, new Dictionary<string, byte[]>()));

        var request = new JsonObject
        {
            ["protocol"] = AvroSourceProtocol.Json,
            ["cases"] = new JsonArray([.. cases.Select(c => new JsonObject
            {
                ["schema"] = c.Schema,
                ["datum"] = c.Datum.DeepClone(),
                ["ours"] = Convert.ToHexStringLower(c.Ours),
            })]),
        };
        var results = JsonNode.Parse(await PythonAvro.RunAsync(request.ToJsonString(), "crosscheck"))!.AsArray();

        Assert.Equal(cases.Count, results.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var (schema, datum, ours, decode) = cases[i];
            var python = Convert.FromHexString(results[i]!["encoded"]!.GetValue<string>());
            Assert.True(ours.AsSpan().SequenceEqual(python), $"case {i} ({schema}): we wrote {Convert.ToHexString(ours)}, python {Convert.ToHexString(python)}");
            Assert.True(JsonNode.DeepEquals(datum, results[i]!["decoded"]), $"case {i} ({schema}): python read {results[i]!["decoded"]} from our bytes, expected {datum}");
            Assert.True(JsonNode.DeepEquals(datum, (JsonNode)decode(python)), $"case {i} ({schema}): we read {decode(python)} from python's bytes, expected {datum}");
        }
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static Event DecodeEvent(byte[] bytes)
    {
        var reader = new AvroReader(bytes);
        var e = AvroFlumeEventCodec.Read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return e;
    }

    private static JsonArray EventsJson(byte[] bytes)
    {
        var reader = new AvroReader(bytes);
        var events = new List<Event>();
        AvroFlumeEventCodec.ReadArray(ref reader, events);
        Assert.Equal(0, reader.Remaining);
        return new JsonArray([.. events.Select(EventJson)]);
    }

    private static HandshakeRequest DecodeRequest(byte[] bytes)
    {
        var reader = new AvroReader(bytes);
        return HandshakeRequest.Read(ref reader);
    }

    private static HandshakeResponse DecodeResponse(byte[] bytes)
    {
        var reader = new AvroReader(bytes);
        return HandshakeResponse.Read(ref reader);
    }

    private static JsonNode EventJson(Event e) => new JsonObject
    {
        ["headers"] = new JsonObject([.. e.HeadersOrEmpty.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))]),
        ["body"] = Convert.ToHexStringLower(e.Body),
    };

    private static JsonNode RequestJson(HandshakeRequest r) => new JsonObject
    {
        ["clientHash"] = Convert.ToHexStringLower(r.ClientHash),
        ["clientProtocol"] = r.ClientProtocol,
        ["serverHash"] = Convert.ToHexStringLower(r.ServerHash),
        ["meta"] = MetaJson(r.Meta),
    };

    private static JsonNode ResponseJson(HandshakeResponse r) => new JsonObject
    {
        ["match"] = r.Match.ToString().ToUpperInvariant(),
        ["serverProtocol"] = r.ServerProtocol,
        ["serverHash"] = r.ServerHash is null ? null : Convert.ToHexStringLower(r.ServerHash),
        ["meta"] = MetaJson(r.Meta),
    };

    private static JsonObject? MetaJson(IReadOnlyDictionary<string, byte[]>? meta) =>
        meta is null ? null : new JsonObject([.. meta.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)Convert.ToHexStringLower(m.Value)))]);

    [Fact]
    public void Protocol_Json_DeclaresFlumesMessagesAndHashesToItsMd5()
    {
        var messages = AvroSourceProtocol.TryReadMessages(AvroSourceProtocol.Json, out var problem);

        Assert.Null(problem);
        Assert.Equal(["append", "appendBatch"], messages!.Order());
        Assert.Equal(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(AvroSourceProtocol.Json)), AvroSourceProtocol.Hash);
    }
}
