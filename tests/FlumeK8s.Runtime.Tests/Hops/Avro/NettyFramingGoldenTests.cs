using System.Buffers;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>Frames and call bytes written out by hand from the protocol description, byte for byte.</summary>
public sealed class NettyFramingGoldenTests
{
    private const int Max = 1 << 20;

    [Fact]
    public void Encode_Payload_IsSerialCountLengthAndBytesBigEndian()
    {
        var output = new ArrayBufferWriter<byte>();

        NettyFrameWriter.Encode(output, 0x01020304, [0xAA, 0xBB, 0xCC]);

        Assert.Equal(
            [0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0xAA, 0xBB, 0xCC],
            output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Encode_EmptyPayload_IsZeroBuffers()
    {
        var output = new ArrayBufferWriter<byte>();

        NettyFrameWriter.Encode(output, 7, []);

        Assert.Equal([0, 0, 0, 7, 0, 0, 0, 0], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryDecode_SeveralBuffers_JoinsThemAndConsumesOnlyTheFrame()
    {
        byte[] bytes = [0, 0, 0, 9, 0, 0, 0, 3, 0, 0, 0, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 3, /* next frame */ 0, 0];
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.True(new NettyFrameDecoder(Max).TryDecode(ref input, out var frame));

        Assert.Equal(9, frame.Serial);
        Assert.Equal([1, 2, 3], frame.Payload);
        Assert.Equal(2, input.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 1, 2, 3 })]
    public void TryDecode_PartialFrame_WaitsForMore(byte[] bytes)
    {
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.False(new NettyFrameDecoder(Max).TryDecode(ref input, out _));
        Assert.True(input.Length < 4, "only an incomplete field may be left for the next read");
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xF0 })]
    public void TryDecode_DeclaredSizeOverLimit_FailsBeforeTheBytesArriveNamingTheSerial(byte[] bytes)
    {
        var input = new ReadOnlySequence<byte>(bytes);

        var refusal = Assert.Throws<NettyFrameTooLargeException>(() => new NettyFrameDecoder(Max).TryDecode(ref input, out _));
        Assert.Equal(1, refusal.Serial);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE })]
    public void TryDecode_NegativeSize_FailsAsMalformed(byte[] bytes)
    {
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.Throws<AvroFormatException>(() => new NettyFrameDecoder(Max).TryDecode(ref input, out _));
    }

    [Fact]
    public void TryDecode_FrameArrivingByteByByte_SameFrameInLinearTime()
    {
        // 1 MiB in one buffer, fed one byte per call: a decoder that rescanned from the frame's
        // start would look at ~10^12 bytes; a linear one takes a fraction of a second.
        var payload = Enumerable.Range(0, 1 << 20).Select(i => (byte)i).ToArray();
        var output = new ArrayBufferWriter<byte>();
        NettyFrameWriter.Encode(output, 5, payload);
        var bytes = output.WrittenSpan.ToArray();
        var decoder = new NettyFrameDecoder(Max * 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        NettyFrame frame = default;
        var decoded = false;
        var pending = Array.Empty<byte>();

        foreach (var b in bytes)
        {
            var input = new ReadOnlySequence<byte>([.. pending, b]);
            decoded = decoder.TryDecode(ref input, out frame);
            pending = input.ToArray();
        }

        Assert.True(decoded);
        Assert.Equal(5, frame.Serial);
        Assert.Equal(payload, frame.Payload);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"decoding byte by byte took {clock.Elapsed}");
    }

    [Fact]
    public void AppendBatchRequest_FirstCall_IsHandshakeMetadataNameAndEvents()
    {
        var clientHash = Enumerable.Repeat((byte)0x11, 16).ToArray();
        var serverHash = Enumerable.Repeat((byte)0x22, 16).ToArray();
        var payload = new ArrayBufferWriter<byte>();
        new HandshakeRequest(clientHash, null, serverHash).Write(payload);
        AvroEncoder.WriteLong(payload, 0);
        AvroEncoder.WriteString(payload, "appendBatch");
        AvroFlumeEventCodec.WriteArray(payload, [Event.FromText("hi", new Dictionary<string, string> { ["k"] = "v" })]);
        var frame = new ArrayBufferWriter<byte>();

        NettyFrameWriter.Encode(frame, 1, payload.WrittenSpan);

        byte[] expectedPayload =
        [
            .. clientHash,
            0x00, // clientProtocol: union branch 0 = null
            .. serverHash,
            0x00, // meta: null
            0x00, // call metadata: empty map
            0x16, .. "appendBatch"u8, // string of 11 bytes: zig-zag 22
            0x02, // array block of 1 item
            0x02, 0x02, (byte)'k', 0x02, (byte)'v', 0x00, // headers {k: v}, end of map
            0x04, (byte)'h', (byte)'i', // body of 2 bytes
            0x00, // end of array
        ];
        byte[] expected = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, (byte)expectedPayload.Length, .. expectedPayload];
        Assert.Equal(expected, frame.WrittenSpan.ToArray());
    }

    [Fact]
    public void HandshakeResponse_None_CarriesServerProtocolAndHash()
    {
        var hash = Enumerable.Repeat((byte)0x33, 16).ToArray();
        var output = new ArrayBufferWriter<byte>();

        new HandshakeResponse(HandshakeMatch.None, "{}", hash).Write(output);

        Assert.Equal([0x04, 0x02, 0x04, (byte)'{', (byte)'}', 0x02, .. hash, 0x00], output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(0L, new byte[] { 0x00 })]
    [InlineData(-1L, new byte[] { 0x01 })]
    [InlineData(1L, new byte[] { 0x02 })]
    [InlineData(-64L, new byte[] { 0x7F })]
    [InlineData(64L, new byte[] { 0x80, 0x01 })]
    [InlineData(long.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(long.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Long_ZigZagVarint_RoundTrips(long value, byte[] bytes)
    {
        var output = new ArrayBufferWriter<byte>();
        AvroEncoder.WriteLong(output, value);
        var reader = new AvroReader(bytes);

        Assert.Equal(bytes, output.WrittenSpan.ToArray());
        Assert.Equal(value, reader.ReadLong());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0x10, 0x41 })] // string of 8 bytes with 1 present
    [InlineData(new byte[] { 0x7E, 0x00 })] // map block of 63 entries in 1 byte
    public void Reader_MalformedInput_Throws(byte[] bytes)
    {
        Assert.Throws<AvroFormatException>(() =>
        {
            var reader = new AvroReader(bytes);
            if (bytes[0] == 0x10)
            {
                reader.ReadString();
            }
            else if (bytes[0] == 0x7E)
            {
                reader.ReadStringMap();
            }
            else
            {
                reader.ReadLong();
            }
        });
    }

    [Fact]
    public void Reader_NegativeBlockCount_ReadsSizedBlock()
    {
        // Avro lets a writer give a block as -count followed by its size in bytes.
        byte[] bytes = [0x01, 0x08, 0x02, (byte)'k', 0x02, (byte)'v', 0x00];
        var reader = new AvroReader(bytes);

        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, reader.ReadStringMap());
    }
}
