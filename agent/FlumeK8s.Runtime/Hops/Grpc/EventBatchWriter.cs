using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;
using Grpc.Core;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Serializes a batch as an <c>EventBatch</c> message of flumek8s.proto straight from the agent's
/// events: no protobuf object per event and no copy of a body beyond the one into the call's
/// buffer. The bytes are what protobuf's own serializer writes for the same batch (empty strings
/// and bodies left out), so any receiver's parser reads them.
/// </summary>
internal static class EventBatchWriter
{
    public static void Write(IReadOnlyList<Event> events, SerializationContext context)
    {
        var sizes = ArrayPool<int>.Shared.Rent(events.Count);
        try
        {
            var total = 0L;
            for (var i = 0; i < events.Count; i++)
            {
                sizes[i] = EventSize(events[i]);
                total += ProtoWire.FieldSize(sizes[i]);
            }
            if (total > int.MaxValue)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"a batch of {events.Count} events is {total} bytes, larger than max for one message"));
            }
            var length = (int)total;
            context.SetPayloadLength(length);
            var writer = context.GetBufferWriter();
            var span = writer.GetSpan(length);
            if (span.Length >= length)
            {
                WriteEvents(events, sizes, span);
                writer.Advance(length);
            }
            else
            {
                var buffer = ArrayPool<byte>.Shared.Rent(length);
                WriteEvents(events, sizes, buffer);
                writer.Write(buffer.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(buffer);
            }
            context.Complete();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sizes);
        }
    }

    private static void WriteEvents(IReadOnlyList<Event> events, int[] sizes, Span<byte> output)
    {
        var at = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var @event = events[i];
            output[at++] = ProtoWire.Field1Bytes;
            at += ProtoWire.WriteVarint(output[at..], (uint)sizes[i]);
            if (@event.HasHeaders)
            {
                foreach (var (key, value) in @event.Headers)
                {
                    var keyBytes = Encoding.UTF8.GetByteCount(key);
                    var valueBytes = Encoding.UTF8.GetByteCount(value);
                    output[at++] = ProtoWire.Field1Bytes;
                    at += ProtoWire.WriteVarint(output[at..], (uint)(StringFieldSize(keyBytes) + StringFieldSize(valueBytes)));
                    at += WriteString(output[at..], ProtoWire.Field1Bytes, key, keyBytes);
                    at += WriteString(output[at..], ProtoWire.Field2Bytes, value, valueBytes);
                }
            }
            var body = @event.Body;
            if (body.Length > 0)
            {
                output[at++] = ProtoWire.Field2Bytes;
                at += ProtoWire.WriteVarint(output[at..], (uint)body.Length);
                body.CopyTo(output[at..]);
                at += body.Length;
            }
        }
    }

    /// <summary>An empty string is the field's default, which protobuf leaves out of a map entry too.</summary>
    private static int StringFieldSize(int byteCount) => byteCount == 0 ? 0 : ProtoWire.FieldSize(byteCount);

    private static int WriteString(Span<byte> output, byte tag, string text, int byteCount)
    {
        if (byteCount == 0)
        {
            return 0;
        }
        output[0] = tag;
        var at = 1 + ProtoWire.WriteVarint(output[1..], (uint)byteCount);
        return at + Encoding.UTF8.GetBytes(text, output[at..]);
    }

    /// <summary>The size of one <c>Event</c> message, without its own tag and length.</summary>
    private static int EventSize(Event @event)
    {
        var size = @event.Body.Length > 0 ? ProtoWire.FieldSize(@event.Body.Length) : 0;
        if (@event.HasHeaders)
        {
            foreach (var (key, value) in @event.Headers)
            {
                size += ProtoWire.FieldSize(StringFieldSize(Encoding.UTF8.GetByteCount(key)) + StringFieldSize(Encoding.UTF8.GetByteCount(value)));
            }
        }
        return size;
    }
}
