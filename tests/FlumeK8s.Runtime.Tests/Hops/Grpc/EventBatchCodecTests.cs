using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Grpc;
using Google.Protobuf;
using Grpc.Core;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>The hop's hand-driven EventBatch writer and reader against protobuf's own generated code for flumek8s.proto.</summary>
public sealed class EventBatchCodecTests
{
    private static readonly Event[] Events =
    [
        Event.FromText("plain"),
        Event.FromText("with headers", new Dictionary<string, string> { ["host"] = "web-1", ["ünï"] = "cödé ✓", ["empty"] = "" }),
        new Event([]),
        new Event(new byte[300], new Dictionary<string, string> { [""] = "empty key" }),
        new Event(Enumerable.Range(0, 20_000).Select(i => (byte)i).ToArray()),
    ];

    [Fact]
    public void Write_MixedEvents_SameBytesAsProtobuf()
    {
        var expected = ProtobufBatch(Events).ToByteArray();

        Assert.Equal(expected, Write(Events));
    }

    [Fact]
    public void Read_ProtobufBatch_SameEvents()
    {
        var events = EventBatchReader.Read(new ReadOnlySequence<byte>(ProtobufBatch(Events).ToByteArray()));

        AssertSame(Events, events);
    }

    [Fact]
    public void Read_SplitAcrossSegments_SameEvents()
    {
        var bytes = Write(Events);
        var first = new Segment(bytes.AsMemory(0, 777));
        var last = first.Append(bytes.AsMemory(777));

        AssertSame(Events, EventBatchReader.Read(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    [Fact]
    public void Read_UnknownFieldsOfANewerSender_Skipped()
    {
        // Event { headers { k: v } body: "b" 7: 150 (varint) 8: fixed64 9: "x" 10: fixed32 }, then EventBatch field 2: "y".
        byte[] message =
        [
            0x0A, 0x1F,
            0x0A, 0x06, 0x0A, 0x01, (byte)'k', 0x12, 0x01, (byte)'v',
            0x12, 0x01, (byte)'b',
            0x38, 0x96, 0x01,
            0x41, 1, 2, 3, 4, 5, 6, 7, 8,
            0x4A, 0x01, (byte)'x',
            0x55, 1, 2, 3, 4,
            0x12, 0x01, (byte)'y',
        ];

        var @event = Assert.Single(EventBatchReader.Read(new ReadOnlySequence<byte>(message)));

        Assert.Equal("b", Encoding.UTF8.GetString(@event.Body));
        Assert.Equal("v", @event.GetHeader("k"));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x12 })]
    [InlineData(new byte[] { 0x0A, 0x02, 0x12, 0x05 })]
    [InlineData(new byte[] { 0x0B })]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Read_Malformed_InvalidArgument(byte[] message)
    {
        var error = Assert.Throws<RpcException>(() => EventBatchReader.Read(new ReadOnlySequence<byte>(message)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("not a valid EventBatch", error.Status.Detail, StringComparison.Ordinal);
    }

    private static byte[] Write(IReadOnlyList<Event> events)
    {
        var context = new BufferSerializationContext();
        EventBatchWriter.Write(events, context);
        Assert.True(context.Completed);
        Assert.Equal(context.DeclaredLength, context.Buffer.WrittenCount);
        return context.Buffer.WrittenSpan.ToArray();
    }

    private static Proto.EventBatch ProtobufBatch(IEnumerable<Event> events)
    {
        var batch = new Proto.EventBatch();
        foreach (var @event in events)
        {
            var message = new Proto.Event { Body = ByteString.CopyFrom(@event.Body) };
            message.Headers.Add(@event.HeadersOrEmpty.ToDictionary());
            batch.Events.Add(message);
        }
        return batch;
    }

    private static void AssertSame(IReadOnlyList<Event> expected, IReadOnlyList<Event> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Body, actual[i].Body);
            Assert.Equal(expected[i].HeadersOrEmpty.OrderBy(h => h.Key, StringComparer.Ordinal), actual[i].HeadersOrEmpty.OrderBy(h => h.Key, StringComparer.Ordinal));
        }
    }

    private sealed class BufferSerializationContext : SerializationContext
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new();

        public int DeclaredLength { get; private set; } = -1;

        public bool Completed { get; private set; }

        public override void SetPayloadLength(int payloadLength) => DeclaredLength = payloadLength;

        public override IBufferWriter<byte> GetBufferWriter() => Buffer;

        public override void Complete() => Completed = true;

        public override void Complete(byte[] payload) => throw new NotSupportedException();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory)
        {
            Memory = memory;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
