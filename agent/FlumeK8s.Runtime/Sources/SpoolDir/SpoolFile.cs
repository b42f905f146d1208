using FlumeK8s.Runtime.Sources.Delivery;
using FlumeK8s.Runtime.Sources.Files;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>
/// The spool file being read: its handle, its line reader positioned after the last committed
/// line, and what is needed to decide when it is finished. Flume requires spooled files to be
/// complete and unchanged; here a file may still grow while it is read, and it only counts as
/// finished once everything in it was read and it has stopped changing (see <see cref="IsQuiet"/>).
/// </summary>
internal sealed class SpoolFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly FileLineReader _reader;
    private readonly LineDecoder _decoder;
    private readonly IReadOnlyDictionary<string, string>? _headers;
    private (FileStatus Status, long At)? _lastLook;

    private SpoolFile(SpoolCandidate candidate, SafeFileHandle handle, ulong inode, long position, SpoolDirSourceSettings settings)
    {
        FullPath = candidate.FullPath;
        RelativePath = candidate.RelativePath;
        Inode = inode;
        _handle = handle;
        _decoder = new LineDecoder(settings.InputCharset, settings.MaxLineLength, settings.OutputCharset);
        _reader = new FileLineReader(handle, position, LineTerminator.For(settings.InputCharset), _decoder.MaxLineBytes);
        _headers = Headers(candidate, settings);
    }

    public string FullPath { get; }

    public string RelativePath { get; }

    public ulong Inode { get; }

    /// <summary>Where the next unread line starts: after the last line handed out.</summary>
    public long Position => _reader.Position;

    public int TruncatedLines => _decoder.TruncatedLines;

    /// <summary>Opens the file at <paramref name="position"/> (after a byte-order mark when starting at 0). Throws when it cannot be read.</summary>
    public static SpoolFile Open(SpoolCandidate candidate, long position, SpoolDirSourceSettings settings)
    {
        var handle = File.OpenHandle(candidate.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var status = NativeFileStat.Of(handle, candidate.FullPath);
            if (position == 0)
            {
                position = PreambleLength(handle, settings);
            }
            return new SpoolFile(candidate, handle, status.Inode, Math.Min(position, status.Size), settings);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="max"/> lines into <paramref name="batch"/>; true when it reached
    /// the end of what the file holds now. A partial last line stays unread unless
    /// <paramref name="takePartialLine"/>. Lines decoded before a decode failure (policy FAIL) stay
    /// in the batch, so they can still be delivered, and then the
    /// <see cref="System.Text.DecoderFallbackException"/> is thrown.
    /// </summary>
    public bool ReadBatch(List<EventDraft> batch, int max, bool takePartialLine)
    {
        while (batch.Count < max)
        {
            if (!_reader.TryReadLine(takePartialLine, out var line))
            {
                return true;
            }
            byte[] body;
            try
            {
                body = _decoder.Decode(line.Content, line.Truncated);
            }
            catch (System.Text.DecoderFallbackException)
            {
                // Position stays before the bad line, so a saved position never skips past it.
                _reader.Seek(line.Offset);
                throw;
            }
            batch.Add(new EventDraft(body, _headers));
        }
        return false;
    }

    /// <summary>
    /// True when the whole file was read and it has stopped changing: its modification time is at
    /// least <paramref name="quietPeriod"/> old, or its size and modification time stayed the
    /// same over a look at least <paramref name="quietPeriod"/> ago (which also covers a clock
    /// that disagrees with the file system's).
    /// </summary>
    public bool IsQuiet(TimeProvider time, TimeSpan quietPeriod)
    {
        var status = NativeFileStat.Of(_handle, FullPath);
        var allRead = status.Size <= _reader.Position + _reader.PendingBytes;
        if (allRead && time.GetUtcNow() - status.Modified >= quietPeriod)
        {
            return true;
        }
        if (allRead && _lastLook is { } look && look.Status == status && time.GetElapsedTime(look.At) >= quietPeriod)
        {
            return true;
        }
        if (_lastLook is not { } previous || previous.Status != status)
        {
            _lastLook = (status, time.GetTimestamp());
        }
        return false;
    }

    public void Dispose() => _handle.Dispose();

    private static long PreambleLength(SafeFileHandle handle, SpoolDirSourceSettings settings)
    {
        var preamble = settings.InputCharset.Preamble;
        if (preamble.Length == 0)
        {
            return 0;
        }
        Span<byte> start = stackalloc byte[preamble.Length];
        var read = RandomAccess.Read(handle, start, 0);
        return read == preamble.Length && start.SequenceEqual(preamble) ? preamble.Length : 0;
    }

    private static Dictionary<string, string>? Headers(SpoolCandidate candidate, SpoolDirSourceSettings settings)
    {
        if (settings.FileHeaderKey is null && settings.BasenameHeaderKey is null)
        {
            return null;
        }
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.FileHeaderKey is { } fileKey)
        {
            headers[fileKey] = candidate.FullPath;
        }
        if (settings.BasenameHeaderKey is { } basenameKey)
        {
            headers[basenameKey] = Path.GetFileName(candidate.FullPath);
        }
        return headers;
    }
}
