using System.Buffers;
using System.Buffers.Binary;
using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// One encoded, checksummed block ready to append, in format version <see cref="LogVersions.Written"/>
/// (see README.md), in a pooled buffer: a commit
/// of 1,000 events is a few hundred kilobytes, and allocating that per commit would churn the
/// large-object heap.
/// </summary>
internal sealed class Block : IDisposable
{
    private byte[] _buffer;

    private Block(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);

    /// <summary>
    /// Sizes the PUT block of <paramref name="events"/> without encoding it: <paramref name="recordOffsets"/>
    /// (empty on entry) receives each event record's offset inside the block; returns the block's length.
    /// </summary>
    public static int MeasurePuts(List<Event> events, List<int> recordOffsets)
    {
        var offset = BlockHeader.Size;
        foreach (var @event in events)
        {
            recordOffsets.Add(offset);
            offset += EventRecord.SizeOf(@event);
        }
        return offset + BlockHeader.TrailerSize;
    }

    /// <summary>Encodes the PUT block <see cref="MeasurePuts"/> sized, at the offsets it gave.</summary>
    public static Block Puts(List<Event> events, List<int> recordOffsets, int length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var recordsEnd = length - BlockHeader.TrailerSize;
        for (var i = 0; i < events.Count; i++)
        {
            var recordEnd = i + 1 < events.Count ? recordOffsets[i + 1] : recordsEnd;
            EventRecord.Write(events[i], buffer.AsSpan(recordOffsets[i], recordEnd - recordOffsets[i]));
        }
        new BlockHeader(length, BlockKind.Put, events.Count).Seal(buffer.AsSpan(0, length));
        return new Block(buffer, length);
    }

    public static Block Takes(ReadOnlySpan<long> pointers)
    {
        var length = BlockHeader.Size + pointers.Length * 8 + BlockHeader.TrailerSize;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        for (var i = 0; i < pointers.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(BlockHeader.Size + i * 8), pointers[i]);
        }
        new BlockHeader(length, BlockKind.Take, pointers.Length).Seal(buffer.AsSpan(0, length));
        return new Block(buffer, length);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
