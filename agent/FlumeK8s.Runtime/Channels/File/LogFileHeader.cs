using System.Buffers.Binary;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// The 16 bytes at the start of every log file: magic, format version, file id, CRC. Its layout is
/// the same in every version, so the version can be read before the reader for it is chosen.
/// </summary>
internal static class LogFileHeader
{
    public const uint Magic = 0x314C4B46; // "FKL1"
    public const int Size = 16;

    public static byte[] Encode(int fileId, uint version)
    {
        var header = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), fileId);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), Crc32C.Compute(header.AsSpan(0, 12)));
        return header;
    }

    /// <summary>
    /// Null when <paramref name="header"/> is an intact header of file <paramref name="fileId"/>, with
    /// the format version it names in <paramref name="version"/> (supported or not); else what is wrong.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> header, int fileId, out uint version)
    {
        version = 0;
        if (header.Length < Size)
        {
            return "shorter than its header";
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            return "not a log file (bad magic)";
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Crc32C.Compute(header[..12]))
        {
            return "header checksum mismatch";
        }
        var id = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (id != fileId)
        {
            return $"header says file {id}";
        }
        version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        return null;
    }

    /// <summary>Reads and checks the header of an open log file (see <see cref="Check"/>).</summary>
    public static string? Read(IReadFile file, int fileId, out uint version)
    {
        Span<byte> header = stackalloc byte[Size];
        return Check(header[..file.ReadAt(0, header)], fileId, out version);
    }
}
