using System.Buffers;
using System.Text;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Avro's binary encoding, written straight into a buffer: zig-zag varints for int and long,
/// length-prefixed bytes and UTF-8 strings, fixed as raw bytes, enums and union branches as ints.
/// Maps and arrays are written as Java writes them: one block with its count, then the 0 that
/// ends every map and array (an empty one is just the 0).
/// </summary>
internal static class AvroEncoder
{
    public static void WriteLong(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(10);
        var zigZag = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (zigZag >= 0x80)
        {
            span[i++] = (byte)(zigZag | 0x80);
            zigZag >>= 7;
        }
        span[i++] = (byte)zigZag;
        output.Advance(i);
    }

    public static void WriteInt(IBufferWriter<byte> output, int value) => WriteLong(output, value);

    public static void WriteBoolean(IBufferWriter<byte> output, bool value)
    {
        output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        output.Advance(1);
    }

    public static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteLong(output, value.Length);
        output.Write(value);
    }

    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLong(output, length);
        var written = Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(written);
    }

    public static void WriteFixed(IBufferWriter<byte> output, ReadOnlySpan<byte> value, int size)
    {
        if (value.Length != size)
        {
            throw new ArgumentException($"A fixed of size {size} cannot hold {value.Length} bytes", nameof(value));
        }
        output.Write(value);
    }

    public static void WriteStringMap(IBufferWriter<byte> output, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count > 0)
        {
            WriteLong(output, map.Count);
            foreach (var (key, value) in map)
            {
                WriteString(output, key);
                WriteString(output, value);
            }
        }
        WriteLong(output, 0);
    }

    public static void WriteBytesMap(IBufferWriter<byte> output, IReadOnlyDictionary<string, byte[]> map)
    {
        if (map.Count > 0)
        {
            WriteLong(output, map.Count);
            foreach (var (key, value) in map)
            {
                WriteString(output, key);
                WriteBytes(output, value);
            }
        }
        WriteLong(output, 0);
    }
}
