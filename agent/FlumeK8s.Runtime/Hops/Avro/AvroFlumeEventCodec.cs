using System.Buffers;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Flume's <c>AvroFlumeEvent {map&lt;string&gt; headers; bytes body}</c> and arrays of it, in Avro
/// binary, by hand on both sides. Apache.Avro's BinaryEncoder took 1.4 to 2.3 times as long per
/// event and allocated three times as much (bench/README.md, "Avro hop codec"), and its
/// BinaryDecoder allocates whatever length a frame declares before checking it against the bytes
/// that are there, which a server reading untrusted frames cannot do.
/// </summary>
internal static class AvroFlumeEventCodec
{
    // An event takes at least its empty header map (0x00) and its body length (0x00).
    private const int MinEventBytes = 2;

    public static void Write(IBufferWriter<byte> output, Event @event)
    {
        AvroEncoder.WriteStringMap(output, @event.HeadersOrEmpty);
        AvroEncoder.WriteBytes(output, @event.Body);
    }

    public static void WriteArray(IBufferWriter<byte> output, IReadOnlyList<Event> events)
    {
        if (events.Count > 0)
        {
            AvroEncoder.WriteLong(output, events.Count);
            foreach (var @event in events)
            {
                Write(output, @event);
            }
        }
        AvroEncoder.WriteLong(output, 0);
    }

    public static Event Read(ref AvroReader reader)
    {
        var headers = reader.ReadStringMap();
        var body = reader.ReadBytes();
        return new Event(body, headers.Count > 0 ? headers : null);
    }

    public static void ReadArray(ref AvroReader reader, List<Event> events)
    {
        for (var count = reader.ReadBlockCount(MinEventBytes, "array"); count > 0; count = reader.ReadBlockCount(MinEventBytes, "array"))
        {
            for (var i = 0; i < count; i++)
            {
                events.Add(Read(ref reader));
            }
        }
    }
}
