using System.Buffers;
using FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs.Serializers;

/// <summary>Golden bytes of Hadoop's WritableUtils.writeVLong and Text.writeString.</summary>
public sealed class HadoopWritablesTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(1L, "01")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "8f80")]
    [InlineData(255L, "8fff")]
    [InlineData(256L, "8e0100")]
    [InlineData(-1L, "ff")]
    [InlineData(-112L, "90")]
    [InlineData(-113L, "8770")]
    [InlineData(-256L, "87ff")]
    [InlineData(-257L, "860100")]
    [InlineData(1L << 32, "8b0100000000")]
    [InlineData(long.MaxValue, "887fffffffffffffff")]
    [InlineData(long.MinValue, "807fffffffffffffff")]
    public void WriteVLong_Value_HadoopBytes(long value, string hex)
    {
        var output = new ArrayBufferWriter<byte>();

        HadoopWritables.WriteVLong(output, value);

        Assert.Equal(hex, Convert.ToHexStringLower(output.WrittenSpan));
        Assert.Equal(hex.Length / 2, HadoopWritables.VLongSize(value));
    }

    [Fact]
    public void WriteText_Utf8String_VintByteLengthThenBytes()
    {
        var output = new ArrayBufferWriter<byte>();

        HadoopWritables.WriteText(output, "aé");

        Assert.Equal("0361c3a9", Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void WriteIntAndLong_BigEndian()
    {
        var output = new ArrayBufferWriter<byte>();

        HadoopWritables.WriteInt(output, -2);
        HadoopWritables.WriteLong(output, 0x0102030405060708);

        Assert.Equal("fffffffe0102030405060708", Convert.ToHexStringLower(output.WrittenSpan));
    }
}
