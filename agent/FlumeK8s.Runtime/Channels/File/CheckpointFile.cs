using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>Writes and reads a checkpoint: the log position it covers and the queue's pointers (see README.md).</summary>
internal static class CheckpointFile
{
    public const string Name = "checkpoint";
    public const uint Magic = 0x31434B46;      // "FKC1"
    public const uint DoneMarker = 0x454E4F44; // "DONE"

    /// <summary>
    /// The checkpoint's own format version, apart from the log's: either can change without the other.
    /// A checkpoint of another version is not used; recovery then replays the whole log, which
    /// invariant I4 keeps complete, so nothing is lost, only time.
    /// </summary>
    public const uint Version = 1;
    private const int HeaderSize = 4 + 4 + 8 + 8;
    private const int FooterSize = 4 + 4;

    /// <summary>Writes atomically: a temporary file, fsync, rename over the old one, fsync of the directory.</summary>
    public static void Write(IStorage storage, string directory, long position, List<long> pointers)
    {
        var bytes = new byte[HeaderSize + pointers.Count * 8 + FooterSize];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), position);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), pointers.Count);
        MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(pointers)).CopyTo(bytes.AsSpan(HeaderSize));
        var crcAt = bytes.Length - FooterSize;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcAt), Crc32C.Compute(bytes.AsSpan(0, crcAt)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcAt + 4), DoneMarker);

        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, Name + ".tmp");
        if (storage.Exists(temporary))
        {
            storage.Delete(temporary);
        }
        using (var file = storage.Create(temporary))
        {
            file.Append(bytes);
            file.Sync();
        }
        storage.Rename(temporary, Path.Combine(directory, Name));
        storage.FsyncDirectory(directory);
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/>; null with the reason when it is missing or bad.</summary>
    public static (long Position, long[] Pointers)? Read(IStorage storage, string directory, out string? problem)
    {
        var path = Path.Combine(directory, Name);
        problem = null;
        if (!storage.Exists(path))
        {
            problem = "no checkpoint";
            return null;
        }
        var length = storage.Length(path);
        if (length < HeaderSize + FooterSize || (length - HeaderSize - FooterSize) % 8 != 0)
        {
            problem = $"checkpoint has a bad size ({length} bytes)";
            return null;
        }
        var bytes = new byte[length];
        using (var file = storage.OpenRead(path))
        {
            if (file.ReadAt(0, bytes) != length)
            {
                problem = "checkpoint could not be read whole";
                return null;
            }
        }
        var crcAt = bytes.Length - FooterSize;
        problem = BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic ? "checkpoint has a bad magic"
            : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(crcAt + 4)) != DoneMarker ? "checkpoint is incomplete (no completion marker)"
            : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(crcAt)) != Crc32C.Compute(bytes.AsSpan(0, crcAt)) ? "checkpoint checksum mismatch"
            : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) != Version ? $"checkpoint version {BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4))} is not supported (this agent reads version {Version})"
            : BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)) * 8 != length - HeaderSize - FooterSize ? "checkpoint count does not match its size"
            : null;
        if (problem is not null)
        {
            return null;
        }
        var pointers = MemoryMarshal.Cast<byte, long>(bytes.AsSpan(HeaderSize, crcAt - HeaderSize)).ToArray();
        return (BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)), pointers);
    }
}
