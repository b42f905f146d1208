using FlumeK8s.Runtime.Events;

namespace FlumeK8s.Runtime.Channels.File;

/// <summary>
/// Reads log files of one format version: how their blocks are framed and checked, and how their
/// payloads decode. Everything after a log file's header belongs to its version; recovery and takes
/// pick the reader by the version in each file's header (<see cref="LogVersions"/>), so files written
/// by an older agent are read by the reader of their version, never by the one for new files.
/// </summary>
internal interface ILogVersionReader
{
    uint Version { get; }

    /// <summary>The shortest a block can be: fewer bytes left at the end of a file are a torn tail.</summary>
    int MinimumBlockLength { get; }

    /// <summary>
    /// Reads the block at <paramref name="offset"/> whole into <paramref name="buffer"/> (grown as
    /// needed) and checks it: null, with its length, when intact; else what is wrong with it.
    /// </summary>
    string? ReadBlock(IReadFile file, long offset, long fileLength, ref byte[] buffer, out int length);

    /// <summary>A cheap test whether a block may start at the first bytes of <paramref name="data"/>, to scan past damage.</summary>
    bool MayStartBlock(ReadOnlySpan<byte> data);

    /// <summary>
    /// The events in the damaged block of <paramref name="length"/> bytes at <paramref name="offset"/>,
    /// when its header survived and says it was a put; 0 when that is unknown or it was a take.
    /// </summary>
    int PutEventsIn(IReadFile file, long offset, long length);

    /// <summary>
    /// Decodes an intact block that starts at log position <paramref name="blockPosition"/>: returns its
    /// kind and appends the pointers it put (its event records) or took to <paramref name="pointers"/>.
    /// </summary>
    BlockKind Decode(ReadOnlySpan<byte> block, long blockPosition, List<long> pointers);

    /// <summary>The length of the event record that starts <paramref name="data"/>, or -1 when too few bytes are there to tell.</summary>
    int RecordLengthAt(ReadOnlySpan<byte> data);

    /// <summary>Decodes one whole event record; null, with the reason, when its checksum or structure is wrong.</summary>
    Event? ReadRecord(ReadOnlySpan<byte> record, out string? error);
}
