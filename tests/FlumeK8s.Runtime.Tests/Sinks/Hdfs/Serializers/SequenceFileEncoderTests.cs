using System.Buffers;
using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sinks.Hdfs;
using FlumeK8s.Runtime.Sinks.Hdfs.Serializers;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs.Serializers;

/// <summary>Golden bytes of the SequenceFile header and records as Hadoop's Writer lays them out.</summary>
public sealed class SequenceFileEncoderTests
{
    private static readonly ManualTimeProvider Clock = new(new DateTimeOffset(2026, 3, 7, 14, 5, 9, TimeSpan.Zero));

    [Theory]
    [InlineData(SequenceFileWriteFormat.Writable, "org.apache.hadoop.io.BytesWritable")]
    [InlineData(SequenceFileWriteFormat.Text, "org.apache.hadoop.io.Text")]
    public void WriteFileHeader_Format_Version6ClassNamesUncompressedNoMetadataThenSync(SequenceFileWriteFormat format, string valueClass)
    {
        var output = new ArrayBufferWriter<byte>();

        new SequenceFileEncoder(format, Clock).WriteFileHeader(output);

        const string keyClass = "org.apache.hadoop.io.LongWritable";
        var expected = Convert.ToHexStringLower([
            .. "SEQ"u8, 6,
            (byte)keyClass.Length, .. Encoding.ASCII.GetBytes(keyClass),
            (byte)valueClass.Length, .. Encoding.ASCII.GetBytes(valueClass),
            0, 0,
            0, 0, 0, 0]);
        var header = output.WrittenSpan;
        Assert.Equal(expected.Length / 2 + 16, header.Length);
        Assert.Equal(expected, Convert.ToHexStringLower(header[..^16]));
    }

    [Fact]
    public void Write_WritableWithTimestamp_LengthsLongKeyAndBytesWritable()
    {
        var output = new ArrayBufferWriter<byte>();
        var encoder = new SequenceFileEncoder(SequenceFileWriteFormat.Writable, Clock);
        encoder.WriteFileHeader(new ArrayBufferWriter<byte>());

        encoder.Write(Event.FromText("hi", new() { ["timestamp"] = "1700000000123" }), output);

        // record length 8 + 4 + 2, key length 8, key 1700000000123, value length 2, "hi"
        Assert.Equal("0000000e" + "00000008" + "0000018bcfe5687b" + "00000002" + "6869", Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void Write_TextWithoutTimestamp_ClockKeyAndVintLength()
    {
        var output = new ArrayBufferWriter<byte>();
        var encoder = new SequenceFileEncoder(SequenceFileWriteFormat.Text, Clock);
        encoder.WriteFileHeader(new ArrayBufferWriter<byte>());
        var body = new byte[128];

        encoder.Write(new Event(body), output);

        var bytes = output.WrittenSpan;
        Assert.Equal("0000008a" + "00000008", Convert.ToHexStringLower(bytes[..8]));
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds(), System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes[8..16]));
        Assert.Equal("8f80", Convert.ToHexStringLower(bytes[16..18]));
        Assert.Equal(18 + 128, bytes.Length);
    }
}
