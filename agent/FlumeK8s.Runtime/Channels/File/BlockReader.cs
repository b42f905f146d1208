using System.Buffers.Binary;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Reads the blocks of one log file in order for recovery, telling a torn tail (the commit being
/// written when the process died) from corruption in the middle (a bad block with a good one after it).
/// </summary>
internal sealed class BlockReader(IReadFile file, int fileId)
{
    private const int ChunkSize = 4 * 1024 * 1024;

    /// <summary>Where the next block starts; after the end, the end of the last good block.</summary>
    public long Position { get; private set; } = LogFormat.LogHeaderSize;

    public int FileId => fileId;

    /// <summary>
    /// Bad regions skipped in the middle of the file: (offset, length, reason, and the events of the
    /// put block there when its header survived; a destroyed header leaves the number unknown: 0).
    /// </summary>
    public List<(long Offset, long Length, string Reason, int LostEvents)> Corruptions { get; } = [];

    /// <summary>Set when the file ended in a torn block: its offset.</summary>
    public long? TornAt { get; private set; }

    /// <summary>Starts reading at <paramref name="offset"/> (a block boundary, e.g. a checkpoint's position).</summary>
    public void Seek(long offset) => Position = offset;

    /// <summary>Reads the next valid block into <paramref name="buffer"/> (grown as needed); false at the end.</summary>
    public bool Next(ref byte[] buffer, out int length, out long blockOffset)
    {
        var fileLength = file.Length;
        while (true)
        {
            blockOffset = Position;
            length = 0;
            if (Position + LogFormat.BlockHeaderSize + LogFormat.BlockTrailerSize > fileLength)
            {
                if (Position < fileLength)
                {
                    TornAt = Position;
                }
                return false;
            }
            var problem = TryRead(Position, fileLength, ref buffer, out length);
            if (problem is null)
            {
                Position += length;
                return true;
            }
            var next = FindNextBlock(Position + 1, fileLength, ref buffer);
            if (next < 0)
            {
                TornAt = Position;
                return false;
            }
            Corruptions.Add((Position, next - Position, problem, PutEventsAt(Position, next - Position)));
            Position = next;
        }
    }

    // A put block whose checksum failed but whose header is intact still says how many events it held.
    private int PutEventsAt(long offset, long length)
    {
        Span<byte> header = stackalloc byte[LogFormat.BlockHeaderSize];
        if (file.ReadAt(offset, header) < header.Length || BinaryPrimitives.ReadUInt32LittleEndian(header) != LogFormat.BlockMagic
            || BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != LogFormat.PutKind)
        {
            return 0;
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        return count > 0 && count <= length / EventRecord.MinimumLength ? count : 0;
    }

    private string? TryRead(long offset, long fileLength, ref byte[] buffer, out int length)
    {
        Span<byte> header = stackalloc byte[LogFormat.BlockHeaderSize];
        length = 0;
        if (file.ReadAt(offset, header) < header.Length || BinaryPrimitives.ReadUInt32LittleEndian(header) != LogFormat.BlockMagic)
        {
            return "bad block magic";
        }
        length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (length < LogFormat.BlockHeaderSize + LogFormat.BlockTrailerSize || offset + length > fileLength)
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
        var trailer = length - LogFormat.BlockTrailerSize;
        return BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(trailer)) == Crc32C.Compute(buffer.AsSpan(0, trailer))
            ? null
            : "block checksum mismatch";
    }

    // After a bad block: the next offset where a block with a good checksum starts, or -1 if none does.
    private long FindNextBlock(long from, long fileLength, ref byte[] buffer)
    {
        var chunk = new byte[ChunkSize];
        for (var start = from; start < fileLength; start += ChunkSize - 3)
        {
            var read = file.ReadAt(start, chunk);
            for (var i = 0; i + 4 <= read; i++)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(i)) == LogFormat.BlockMagic
                    && TryRead(start + i, fileLength, ref buffer, out _) is null)
                {
                    return start + i;
                }
            }
        }
        return -1;
    }
}
