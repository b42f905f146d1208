using System.Buffers.Binary;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>The constants and small helpers of the on-disk format (see README.md in this folder).</summary>
internal static class LogFormat
{
    public const uint LogMagic = 0x314C4B46;        // "FKL1"
    public const uint BlockMagic = 0x31424B46;      // "FKB1"
    public const uint CheckpointMagic = 0x31434B46; // "FKC1"
    public const uint DoneMarker = 0x454E4F44;      // "DONE"
    public const uint Version = 1;
    public const int LogHeaderSize = 16;
    public const int BlockHeaderSize = 16;
    public const int BlockTrailerSize = 4;
    public const uint PutKind = 1;
    public const uint TakeKind = 2;

    public static string LogPath(IReadOnlyList<string> dataDirs, int fileId) =>
        Path.Combine(dataDirs[fileId % dataDirs.Count], $"log-{fileId}");

    public static long Position(int fileId, long offset) => ((long)fileId << 32) | offset;

    public static int FileOf(long position) => (int)(position >> 32);

    public static long OffsetOf(long position) => position & 0xFFFFFFFFL;

    public static byte[] LogHeader(int fileId)
    {
        var header = new byte[LogHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, LogMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), fileId);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), Crc32C.Compute(header.AsSpan(0, 12)));
        return header;
    }

    /// <summary>Null when <paramref name="header"/> is a valid header of file <paramref name="fileId"/>; else what is wrong.</summary>
    public static string? CheckLogHeader(ReadOnlySpan<byte> header, int fileId)
    {
        if (header.Length < LogHeaderSize)
        {
            return "shorter than its header";
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LogMagic)
        {
            return "not a log file (bad magic)";
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Crc32C.Compute(header[..12]))
        {
            return "header checksum mismatch";
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != Version)
        {
            return $"unsupported version {BinaryPrimitives.ReadUInt32LittleEndian(header[4..])}";
        }
        var id = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        return id == fileId ? null : $"header says file {id}";
    }

    /// <summary>The log ids present in the data directories, oldest first.</summary>
    public static List<int> ListLogIds(IReadOnlyList<string> dataDirs)
    {
        var ids = new List<int>();
        foreach (var dir in dataDirs.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(dir, "log-*"))
            {
                if (int.TryParse(Path.GetFileName(path)[4..], out var id) && id > 0 && LogPath(dataDirs, id) == path)
                {
                    ids.Add(id);
                }
            }
        }
        ids.Sort();
        return ids;
    }
}
