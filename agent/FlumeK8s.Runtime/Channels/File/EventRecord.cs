using System.Buffers.Binary;
using System.Text;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>One event as stored in a PUT block: length, checksum, headers, body (see README.md).</summary>
internal static class EventRecord
{
    private const int FixedSize = 4 + 4 + 2 + 4;

    /// <summary>The size of a record with no headers and an empty body.</summary>
    public const int MinimumLength = FixedSize;

    public static int SizeOf(Event @event)
    {
        var size = FixedSize + @event.Body.Length;
        foreach (var (key, value) in @event.HeadersOrEmpty)
        {
            size += 2 + Encoding.UTF8.GetByteCount(key) + 4 + Encoding.UTF8.GetByteCount(value);
        }
        return size;
    }

    /// <summary>Writes the record into <paramref name="destination"/>, which is exactly <see cref="SizeOf"/> long.</summary>
    public static void Write(Event @event, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, destination.Length);
        var rest = destination[8..];
        var headers = @event.HeadersOrEmpty;
        BinaryPrimitives.WriteUInt16LittleEndian(rest, (ushort)headers.Count);
        rest = rest[2..];
        foreach (var (key, value) in headers)
        {
            var keyLength = Encoding.UTF8.GetBytes(key, rest[2..]);
            BinaryPrimitives.WriteUInt16LittleEndian(rest, (ushort)keyLength);
            rest = rest[(2 + keyLength)..];
            var valueLength = Encoding.UTF8.GetBytes(value, rest[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(rest, valueLength);
            rest = rest[(4 + valueLength)..];
        }
        BinaryPrimitives.WriteInt32LittleEndian(rest, @event.Body.Length);
        @event.Body.CopyTo(rest[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C.Compute(destination[8..]));
    }

    /// <summary>The record's length as its first field says, or -1 if fewer than 4 bytes are available.</summary>
    public static int LengthAt(ReadOnlySpan<byte> data) => data.Length < 4 ? -1 : BinaryPrimitives.ReadInt32LittleEndian(data);

    /// <summary>Decodes a whole record; null (with the reason) when its checksum or structure is wrong.</summary>
    public static Event? Read(ReadOnlySpan<byte> record, out string? error)
    {
        error = null;
        if (record.Length < FixedSize || BinaryPrimitives.ReadInt32LittleEndian(record) != record.Length)
        {
            error = "record length mismatch";
            return null;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) != Crc32C.Compute(record[8..]))
        {
            error = "record checksum mismatch";
            return null;
        }
        var rest = record[8..];
        int count = BinaryPrimitives.ReadUInt16LittleEndian(rest);
        rest = rest[2..];
        Dictionary<string, string>? headers = count == 0 ? null : new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            var key = Encoding.UTF8.GetString(rest.Slice(2, keyLength));
            rest = rest[(2 + keyLength)..];
            var valueLength = BinaryPrimitives.ReadInt32LittleEndian(rest);
            headers![key] = Encoding.UTF8.GetString(rest.Slice(4, valueLength));
            rest = rest[(4 + valueLength)..];
        }
        var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(rest);
        return new Event(rest.Slice(4, bodyLength).ToArray(), headers);
    }
}
