namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Reads the blocks of one log file in order for recovery, telling a torn tail (the commit being
/// written when the process died) from corruption in the middle (a bad block with a good one after
/// it). How a block is framed and checked is the file's format version's (<paramref name="version"/>);
/// these rules are the same for every version.
/// </summary>
internal sealed class BlockReader(IReadFile file, int fileId, ILogVersionReader version)
{
    private const int ChunkSize = 4 * 1024 * 1024;

    /// <summary>Where the next block starts; after the end, the end of the last good block.</summary>
    public long Position { get; private set; } = LogFileHeader.Size;

    public int FileId => fileId;

    public ILogVersionReader Version => version;

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
            if (Position + version.MinimumBlockLength > fileLength)
            {
                if (Position < fileLength)
                {
                    TornAt = Position;
                }
                return false;
            }
            var problem = version.ReadBlock(file, Position, fileLength, ref buffer, out length);
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
            Corruptions.Add((Position, next - Position, problem, version.PutEventsIn(file, Position, next - Position)));
            Position = next;
        }
    }

    // After a bad block: the next offset where an intact block starts, or -1 if none does. Chunks
    // overlap by a minimum block, so a block straddling two chunks is seen whole in the second.
    private long FindNextBlock(long from, long fileLength, ref byte[] buffer)
    {
        var chunk = new byte[ChunkSize];
        var overlap = version.MinimumBlockLength;
        for (var start = from; start < fileLength; start += ChunkSize - overlap)
        {
            var read = file.ReadAt(start, chunk);
            for (var i = 0; i + overlap <= read; i++)
            {
                if (version.MayStartBlock(chunk.AsSpan(i, read - i))
                    && version.ReadBlock(file, start + i, fileLength, ref buffer, out _) is null)
                {
                    return start + i;
                }
            }
            if (start + read >= fileLength)
            {
                break;
            }
        }
        return -1;
    }
}
