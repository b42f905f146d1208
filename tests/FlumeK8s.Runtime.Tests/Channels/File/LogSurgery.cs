using System.Buffers.Binary;
using FlumeK8s.Runtime.Channels.File;

namespace FlumeK8s.Runtime.Tests.Channels.File;

/// <summary>
/// Damages channel files the way disks and crashes do, at places found by walking the format
/// described in the channel's README.md: a block, a record inside it, a checkpoint field.
/// </summary>
internal static class LogSurgery
{
    public const int CheckpointVersionOffset = 4;
    public const int CheckpointPointersOffset = 24;

    /// <summary>Every complete block of a log file in order: offset, whole length, kind.</summary>
    public static List<(long Offset, int Length, BlockKind Kind)> Blocks(string logPath)
    {
        var bytes = ReadShared(logPath);
        var blocks = new List<(long, int, BlockKind)>();
        var offset = LogFileHeader.Size;
        while (BlockHeader.TryRead(bytes.AsSpan(offset), out var header) && offset + header.Length <= bytes.Length)
        {
            blocks.Add((offset, header.Length, header.Kind));
            offset += header.Length;
        }
        return blocks;
    }

    /// <summary>The offsets of the event records in the PUT block at <paramref name="blockOffset"/>.</summary>
    public static List<long> RecordOffsets(string logPath, long blockOffset)
    {
        var bytes = ReadShared(logPath);
        BlockHeader.TryRead(bytes.AsSpan((int)blockOffset), out var header);
        var offsets = new List<long>();
        var offset = (int)blockOffset + BlockHeader.Size;
        for (var i = 0; i < header.Count; i++)
        {
            offsets.Add(offset);
            offset += EventRecord.LengthAt(bytes.AsSpan(offset));
        }
        return offsets;
    }

    public static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x5A));
        file.Flush(flushToDisk: true);
    }

    public static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        file.SetLength(length);
    }

    public static void Append(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(bytes);
    }

    /// <summary>Changes a checkpoint's bytes; with <paramref name="fixChecksum"/> its CRC is recomputed so only the change is wrong.</summary>
    public static void EditCheckpoint(string path, Action<byte[]> edit, bool fixChecksum)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        edit(bytes);
        if (fixChecksum)
        {
            var crcAt = bytes.Length - 8;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcAt), Crc32C.Compute(bytes.AsSpan(0, crcAt)));
        }
        System.IO.File.WriteAllBytes(path, bytes);
    }

    /// <summary>The log position a checkpoint says it covers.</summary>
    public static long CheckpointPosition(string path) => BinaryPrimitives.ReadInt64LittleEndian(System.IO.File.ReadAllBytes(path).AsSpan(8));

    /// <summary>
    /// Rewrites a log file's header as if it were file <paramref name="claimedId"/> in format
    /// <paramref name="version"/> (a valid checksum either way).
    /// </summary>
    public static void RewriteLogHeader(string path, int claimedId, uint version = LogVersions.Written)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        file.Write(LogFileHeader.Encode(claimedId, version));
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
