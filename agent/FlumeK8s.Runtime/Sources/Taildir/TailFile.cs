using System.Globalization;
using FlumeK8s.Runtime.Sources.Delivery;
using FlumeK8s.Runtime.Sources.Files;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Sources.Taildir;

/// <summary>
/// One tailed file, known by its inode so it is the same file after a rename. Keeps two offsets:
/// <see cref="Committed"/> (after the last line whose events are committed and acknowledged in
/// order; the only one ever saved) and the reader's position (<see cref="ReadPosition"/>, after the
/// last line read, ahead of it by the batches in flight). A refused batch rewinds the reader to
/// <see cref="Committed"/> and is read again. The handle stays open until the file has
/// been idle for <c>idleTimeout</c>, so a file renamed away or deleted is still read to its end.
/// </summary>
internal sealed class TailFile(ulong inode, string path, TaildirFileGroup? group, long committed, TaildirSourceSettings settings) : IDisposable
{
    private SafeFileHandle? _handle;
    private FileLineReader? _reader;
    private IReadOnlyDictionary<string, string>? _headers = Headers(path, group, settings);

    public ulong Inode => inode;

    /// <summary>Where the file was last seen; updated when it is renamed.</summary>
    public string Path { get; private set; } = path;

    /// <summary>The group whose pattern matched it; null for a file found only through the position file.</summary>
    public TaildirFileGroup? Group => group;

    public long Committed { get; private set; } = committed;

    /// <summary>True while the file's name matches its group's pattern (false once rotated away or deleted).</summary>
    public bool Matched { get; set; }

    /// <summary>The latest known status (from its path, or from the open handle when it has no path).</summary>
    public FileStatus Status { get; set; }

    /// <summary>The status when the handle was closed for idleness: the file is opened again only once it differs.</summary>
    public FileStatus? ClosedStatus { get; private set; }

    /// <summary>When lines were last read (or the file was opened); drives <c>idleTimeout</c>.</summary>
    public long LastActivity { get; set; }

    public bool OpenFailureReported { get; set; }

    public bool IsOpen => _handle is not null;

    /// <summary>Bytes of an unfinished last line (no newline yet) seen by the last read.</summary>
    public int PendingBytes => _reader?.PendingBytes ?? 0;

    public void Rename(string newPath)
    {
        Path = newPath;
        _headers = Headers(newPath, group, settings);
    }

    /// <summary>Opens the file at <see cref="Committed"/>; false (and closed) when the path now holds another file.</summary>
    public bool Open(long now)
    {
        var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        FileStatus status;
        try
        {
            status = NativeFileStat.Of(handle, Path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        if (status.Inode != inode)
        {
            handle.Dispose();
            return false;
        }
        _handle = handle;
        _reader = new FileLineReader(handle, Committed, LineTerminator.Bytes);
        Status = status;
        ClosedStatus = null;
        LastActivity = now;
        return true;
    }

    /// <summary>The status through the open handle: valid after a rename or delete.</summary>
    public FileStatus StatusOfHandle() => NativeFileStat.Of(_handle!, Path);

    /// <summary>Reads up to <paramref name="max"/> complete lines after the reader's position.</summary>
    public void ReadBatch(List<EventDraft> batch, int max)
    {
        while (batch.Count < max && _reader!.TryReadLine(takePartialAtEnd: false, out var line))
        {
            batch.Add(new EventDraft(line.Content.ToArray(), HeadersFor(line.Offset)));
        }
    }

    /// <summary>After the last line read: where the batch just read ends.</summary>
    public long ReadPosition => _reader!.Position;

    /// <summary>Records that every line before <paramref name="position"/> is committed.</summary>
    public void Commit(long position) => Committed = position;

    public void Rewind() => _reader?.Seek(Committed);

    /// <summary>Starts again at <paramref name="position"/> (the file was truncated, e.g. by copytruncate).</summary>
    public void Restart(long position)
    {
        Committed = position;
        _reader?.Seek(position);
    }

    public void Close(FileStatus? lastStatus)
    {
        ClosedStatus = lastStatus;
        _handle?.Dispose();
        _handle = null;
        _reader = null;
    }

    public void Dispose() => Close(null);

    private IReadOnlyDictionary<string, string>? HeadersFor(long offset)
    {
        if (!settings.ByteOffsetHeader)
        {
            return _headers;
        }
        var headers = _headers is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(_headers, StringComparer.Ordinal);
        headers[TaildirSourceSettings.ByteOffsetHeaderKey] = offset.ToString(CultureInfo.InvariantCulture);
        return headers;
    }

    private static Dictionary<string, string>? Headers(string path, TaildirFileGroup? group, TaildirSourceSettings settings)
    {
        if ((group is null || group.Headers.Count == 0) && settings.FileHeaderKey is null)
        {
            return null;
        }
        var headers = group is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(group.Headers, StringComparer.Ordinal);
        if (settings.FileHeaderKey is { } key)
        {
            headers[key] = path;
        }
        return headers;
    }
}
