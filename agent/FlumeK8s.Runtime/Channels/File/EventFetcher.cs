using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Reads events that are no longer cached back from the log, each decoded by the reader of its
/// file's format version. Events taken together were usually written together, so it reads a chunk
/// at a time and serves the following records from it: one read call per chunk, not per event. One
/// fetcher per transaction (not thread-safe).
/// </summary>
internal sealed class EventFetcher(LogReaders readers)
{
    private const int ChunkSize = 256 * 1024;
    private byte[] _chunk = [];
    private int _chunkFile = -1;
    private long _chunkOffset;
    private int _chunkLength;
    private ILogVersionReader? _chunkVersion;

    /// <summary>The event at <paramref name="pointer"/>, or null with the reason when it cannot be read back intact.</summary>
    public Event? Fetch(long pointer, out string? error)
    {
        var fileId = LogFormat.FileOf(pointer);
        var offset = LogFormat.OffsetOf(pointer);
        var length = Available(fileId, offset, 4) ? _chunkVersion!.RecordLengthAt(Span(offset, 4)) : -1;
        if (length <= 0 || !Available(fileId, offset, length))
        {
            error = length <= 0 ? "record length unreadable" : "record runs past the end of the file";
            return null;
        }
        return _chunkVersion!.ReadRecord(Span(offset, length), out error);
    }

    private ReadOnlySpan<byte> Span(long offset, int length) => _chunk.AsSpan((int)(offset - _chunkOffset), length);

    // Makes [offset, offset + length) of the file available in the chunk, reading when needed.
    private bool Available(int fileId, long offset, int length)
    {
        if (fileId == _chunkFile && offset >= _chunkOffset && offset + length <= _chunkOffset + _chunkLength)
        {
            return true;
        }
        var size = Math.Max(ChunkSize, length);
        if (_chunk.Length < size)
        {
            _chunk = new byte[size];
        }
        var open = readers.Get(fileId);
        _chunkFile = -1; // until the read succeeds
        _chunkLength = open.File.ReadAt(offset, _chunk.AsSpan(0, size));
        _chunkFile = fileId;
        _chunkOffset = offset;
        _chunkVersion = open.Version;
        return length <= _chunkLength;
    }
}
