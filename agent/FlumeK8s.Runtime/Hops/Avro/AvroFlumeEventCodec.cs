using System.Buffers;
using Avro.IO;
using FlumeK8s.Runtime.Avro;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Flume's <c>AvroFlumeEvent {map&lt;string&gt; headers; bytes body}</c> and arrays of it, in Avro
/// binary. Written by Apache.Avro's <see cref="BinaryEncoder"/>, which measured as fast as the
/// hand-written encoder it replaced (bench/README.md, "Avro hop codec"). Read by
/// <see cref="AvroReader"/>, because a reader of untrusted frames must check every declared length
/// and count against the bytes left before allocating, which Apache.Avro's BinaryDecoder does not.
/// </summary>
internal static class AvroFlumeEventCodec
{
    // An event takes at least its empty header map (0x00) and its body length (0x00).
    private const int MinEventBytes = 2;

    private static readonly FlumeEventDatumWriter Writer = new(AvroSourceProtocol.EventSchema);

    // Encoding is synchronous, so one encoder per thread serves every call without allocating.
    [ThreadStatic]
    private static (BufferWriterStream Output, BinaryEncoder Encoder)? t_encoder;

    public static void Write(IBufferWriter<byte> output, Event @event) =>
        Encode(output, @event, static (encoder, e) => Writer.Write(e, encoder));

    public static void WriteArray(IBufferWriter<byte> output, IReadOnlyList<Event> events) =>
        Encode(output, events, static (encoder, list) =>
        {
            encoder.WriteArrayStart();
            encoder.SetItemCount(list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                encoder.StartItem();
                Writer.Write(list[i], encoder);
            }
            encoder.WriteArrayEnd();
        });

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

    private static void Encode<TState>(IBufferWriter<byte> output, TState state, Action<BinaryEncoder, TState> write)
    {
        var (stream, encoder) = t_encoder ??= NewEncoder();
        stream.Target = output;
        try
        {
            write(encoder, state);
        }
        finally
        {
            // Not kept: the buffer belongs to the caller.
            stream.Target = null;
        }
    }

    private static (BufferWriterStream, BinaryEncoder) NewEncoder()
    {
        var stream = new BufferWriterStream();
        return (stream, new BinaryEncoder(stream));
    }
}
