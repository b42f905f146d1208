using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Serializers;

/// <summary>
/// Hadoop's DataOutput encodings that SequenceFiles use: big-endian ints and longs, and
/// WritableUtils' variable-length longs (vint/vlong), which are not Avro's zig-zag varints:
/// -112..127 is one byte holding the value; otherwise a first byte of -113..-120 says a positive
/// value follows in 1..8 big-endian bytes, and -121..-128 says the same of a negative value,
/// whose one's complement is what is stored.
/// </summary>
internal static class HadoopWritables
{
    public static void WriteInt(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteLong(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static void WriteVLong(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(9);
        output.Advance(WriteVLong(span, value));
    }

    /// <summary>How many bytes <see cref="WriteVLong(IBufferWriter{byte}, long)"/> writes for <paramref name="value"/>.</summary>
    public static int VLongSize(long value)
    {
        if (value is >= -112 and <= 127)
        {
            return 1;
        }
        var magnitude = (ulong)(value < 0 ? ~value : value);
        return (int)((64 - ulong.LeadingZeroCount(magnitude) + 7) / 8) + 1;
    }

    /// <summary>Hadoop's Text.writeString: vint byte length, then UTF-8.</summary>
    public static void WriteText(IBufferWriter<byte> output, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteVLong(output, bytes.Length);
        output.Write(bytes);
    }

    private static int WriteVLong(Span<byte> span, long value)
    {
        if (value is >= -112 and <= 127)
        {
            span[0] = (byte)(sbyte)value;
            return 1;
        }
        var negative = value < 0;
        var magnitude = (ulong)(negative ? ~value : value);
        var count = (int)((64 - ulong.LeadingZeroCount(magnitude) + 7) / 8);
        span[0] = (byte)(sbyte)((negative ? -120 : -112) - count);
        for (var i = 0; i < count; i++)
        {
            span[1 + i] = (byte)(magnitude >> (8 * (count - 1 - i)));
        }
        return count + 1;
    }
}
