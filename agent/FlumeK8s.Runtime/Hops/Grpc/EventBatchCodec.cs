using System.Runtime.InteropServices;
using Google.Protobuf;
using FlumeK8s.Runtime.Events;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>Between the agent's events and the hop's protobuf messages, copying bodies only where protobuf requires it.</summary>
internal static class EventBatchCodec
{
    public static Proto.EventBatch ToBatch(IReadOnlyList<Event> events)
    {
        var batch = new Proto.EventBatch();
        foreach (var @event in events)
        {
            // The body is not changed while the message exists: it is serialized once and dropped.
            var message = new Proto.Event { Body = UnsafeByteOperations.UnsafeWrap(@event.Body) };
            if (@event.HasHeaders)
            {
                message.Headers.Add(@event.Headers);
            }
            batch.Events.Add(message);
        }
        return batch;
    }

    public static List<Event> ToEvents(Proto.EventBatch batch)
    {
        var events = new List<Event>(batch.Events.Count);
        foreach (var message in batch.Events)
        {
            Dictionary<string, string>? headers = null;
            if (message.Headers.Count > 0)
            {
                headers = new Dictionary<string, string>(message.Headers, StringComparer.Ordinal);
            }
            events.Add(new Event(BodyOf(message.Body), headers));
        }
        return events;
    }

    // A parsed ByteString owns a fresh array of exactly its length: take it instead of copying it again.
    private static byte[] BodyOf(ByteString body) =>
        MemoryMarshal.TryGetArray(body.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.ToByteArray();
}
