using System.Text;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Reads Avro's binary encoding from one message held in memory. Every length and count is
/// checked against the bytes that are left before anything is allocated, so a hostile length
/// costs an <see cref="AvroFormatException"/>, never memory. Blocks of maps and arrays may come
/// in any number, with a negative count followed by the block's byte size, as the spec allows.
/// </summary>
internal ref struct AvroReader(ReadOnlySpan<byte> data)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public long ReadLong()
    {
        ulong raw = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new AvroFormatException("Message ends inside a number");
            }
            var b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                throw new AvroFormatException("Number does not fit in 64 bits");
            }
            raw |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }
        throw new AvroFormatException("Number longer than 10 bytes");
    }

    public int ReadInt()
    {
        var value = ReadLong();
        return value is < int.MinValue or > int.MaxValue
            ? throw new AvroFormatException($"{value} does not fit in an int")
            : (int)value;
    }

    public bool ReadBoolean()
    {
        var span = Take(1, "boolean");
        return span[0] switch
        {
            0 => false,
            1 => true,
            var other => throw new AvroFormatException($"Boolean byte is {other}, not 0 or 1"),
        };
    }

    public byte[] ReadBytes() => ReadLengthPrefixed("bytes").ToArray();

    public string ReadString()
    {
        var span = ReadLengthPrefixed("string");
        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            throw new AvroFormatException("String is not valid UTF-8");
        }
    }

    public byte[] ReadFixed(int size) => Take(size, $"fixed({size})").ToArray();

    /// <summary>An enum symbol's index, checked against the number of symbols.</summary>
    public int ReadEnum(int symbolCount, string name)
    {
        var index = ReadInt();
        return index < 0 || index >= symbolCount
            ? throw new AvroFormatException($"{name} index {index} is not one of its {symbolCount} symbols")
            : index;
    }

    /// <summary>A union branch index, checked against the number of branches.</summary>
    public int ReadUnionIndex(int branchCount, string name) => ReadEnum(branchCount, name + " union");

    /// <summary>
    /// The item count of the next block of a map or array (0 ends it). Each item takes at least
    /// <paramref name="minItemBytes"/> bytes, which bounds how many can honestly follow.
    /// </summary>
    public int ReadBlockCount(int minItemBytes, string what)
    {
        var count = ReadLong();
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw new AvroFormatException($"{what} block count out of range");
            }
            count = -count;
            var size = ReadLong();
            if (size < 0 || size > Remaining)
            {
                throw new AvroFormatException($"{what} block declares {size} bytes but {Remaining} are left");
            }
        }
        if (count > Remaining / Math.Max(1, minItemBytes))
        {
            throw new AvroFormatException($"{what} block declares {count} items but only {Remaining} bytes are left");
        }
        return (int)count;
    }

    public Dictionary<string, string> ReadStringMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var count = ReadBlockCount(2, "map"); count > 0; count = ReadBlockCount(2, "map"))
        {
            for (var i = 0; i < count; i++)
            {
                var key = ReadString();
                map[key] = ReadString();
            }
        }
        return map;
    }

    public Dictionary<string, byte[]> ReadBytesMap()
    {
        var map = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var count = ReadBlockCount(2, "map"); count > 0; count = ReadBlockCount(2, "map"))
        {
            for (var i = 0; i < count; i++)
            {
                var key = ReadString();
                map[key] = ReadBytes();
            }
        }
        return map;
    }

    private ReadOnlySpan<byte> ReadLengthPrefixed(string what)
    {
        var length = ReadLong();
        if (length < 0)
        {
            throw new AvroFormatException($"Negative {what} length {length}");
        }
        return Take(length, what);
    }

    private ReadOnlySpan<byte> Take(long length, string what)
    {
        if (length > Remaining)
        {
            throw new AvroFormatException($"{what} of {length} bytes but only {Remaining} are left");
        }
        var span = _data.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }
}
