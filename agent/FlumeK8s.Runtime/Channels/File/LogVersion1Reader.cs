using System.Buffers.Binary;
using System.Diagnostics;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Log format version 1 (README.md, "Log file"): blocks framed by <see cref="BlockHeader"/>, PUT
/// payloads of <see cref="EventRecord"/>s back to back, TAKE payloads of 8-byte pointers.
/// </summary>
internal sealed class LogVersion1Reader : ILogVersionReader
{
    public static LogVersion1Reader Instance { get; } = new();

    private LogVersion1Reader()
    {
    }

    public uint Version => 1;

    public int MinimumBlockLength => BlockHeader.MinimumBlockLength;

    public string? ReadBlock(IReadFile file, long offset, long fileLength, ref byte[] buffer, out int length)
    {
        Span<byte> bytes = stackalloc byte[BlockHeader.Size];
        length = 0;
        if (!BlockHeader.TryRead(bytes[..file.ReadAt(offset, bytes)], out var header))
        {
            return "bad block magic";
        }
        length = header.Length;
        if (length < BlockHeader.MinimumBlockLength || offset + length > fileLength)
        {
            return "block length runs past the end of the file";
        }
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }
        if (file.ReadAt(offset, buffer.AsSpan(0, length)) < length)
        {
            return "short read";
        }
        return BlockHeader.ChecksumMatches(buffer.AsSpan(0, length)) ? null : "block checksum mismatch";
    }

    public bool MayStartBlock(ReadOnlySpan<byte> data) => BlockHeader.StartsBlock(data);

    public int PutEventsIn(IReadFile file, long offset, long length)
    {
        Span<byte> bytes = stackalloc byte[BlockHeader.Size];
        if (!BlockHeader.TryRead(bytes[..file.ReadAt(offset, bytes)], out var header) || header.Kind != BlockKind.Put)
        {
            return 0;
        }
        // A count the damaged region cannot hold is not a surviving header.
        return header.Count > 0 && header.Count <= length / EventRecord.MinimumLength ? header.Count : 0;
    }

    public BlockKind Decode(ReadOnlySpan<byte> block, long blockPosition, List<long> pointers)
    {
        var framed = BlockHeader.TryRead(block, out var header);
        Debug.Assert(framed && header.Length == block.Length, "only blocks ReadBlock passed are decoded");
        var offset = BlockHeader.Size;
        for (var i = 0; i < header.Count; i++)
        {
            if (header.Kind == BlockKind.Put)
            {
                pointers.Add(blockPosition + offset);
                offset += EventRecord.LengthAt(block[offset..]);
            }
            else
            {
                pointers.Add(BinaryPrimitives.ReadInt64LittleEndian(block[(offset + i * 8)..]));
            }
        }
        return header.Kind;
    }

    public int RecordLengthAt(ReadOnlySpan<byte> data) => EventRecord.LengthAt(data);

    public Event? ReadRecord(ReadOnlySpan<byte> record, out string? error) => EventRecord.Read(record, out error);
}
