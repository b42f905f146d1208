using System.Buffers.Binary;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// The frame around every block of the log (see README.md): a 16-byte header (magic, whole length,
/// kind, count) and a 4-byte CRC trailer over header and payload. The one place its offsets are
/// written down: the writer, the readers and the tests' surgery all go through it.
/// </summary>
internal readonly record struct BlockHeader(int Length, BlockKind Kind, int Count)
{
    public const uint Magic = 0x31424B46; // "FKB1"
    public const int Size = 16;
    public const int TrailerSize = 4;

    /// <summary>A block with an empty payload; fewer bytes than this left in a file cannot be a block.</summary>
    public const int MinimumBlockLength = Size + TrailerSize;

    /// <summary>Whether <paramref name="data"/> starts with the block magic.</summary>
    public static bool StartsBlock(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) == Magic;

    /// <summary>The header at the start of <paramref name="data"/>; false when it is too short or has no block magic.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out BlockHeader header)
    {
        header = default;
        if (data.Length < Size || !StartsBlock(data))
        {
            return false;
        }
        header = new BlockHeader(
            BinaryPrimitives.ReadInt32LittleEndian(data[4..]),
            (BlockKind)BinaryPrimitives.ReadUInt32LittleEndian(data[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(data[12..]));
        return true;
    }

    /// <summary>Writes this header at the start of <paramref name="block"/> and the trailer's CRC at its end; the payload must be in place.</summary>
    public void Seal(Span<byte> block)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(block, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(block[4..], Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], (uint)Kind);
        BinaryPrimitives.WriteInt32LittleEndian(block[12..], Count);
        var trailer = Length - TrailerSize;
        BinaryPrimitives.WriteUInt32LittleEndian(block[trailer..], Crc32C.Compute(block[..trailer]));
    }

    /// <summary>Whether the trailer of the whole block <paramref name="block"/> matches its header and payload.</summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> block)
    {
        var trailer = block.Length - TrailerSize;
        return BinaryPrimitives.ReadUInt32LittleEndian(block[trailer..]) == Crc32C.Compute(block[..trailer]);
    }
}
