using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace FlumeK8s.Runtime.Sources.Files;

/// <summary>
/// Reads lines from an open file starting at a byte offset and tracks the offset just after the
/// last line returned (<see cref="Position"/>), so a source can save exactly where its committed
/// events end and resume there after a restart. Reads by offset (no shared file pointer), so a
/// file that grows is read further on the next call, and a renamed or deleted file keeps being
/// read through its handle.
/// </summary>
internal sealed class FileLineReader
{
    private const int ChunkSize = 16 * 1024;

    private readonly SafeFileHandle _file;
    private readonly LineTerminator _terminator;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[ChunkSize];
    private byte[]? _scratch;
    private long _bufferOffset; // file offset of _buffer[0]
    private int _start;         // first unread byte; always the start of a line
    private int _end;           // bytes of _buffer that hold file data
    private int _scanned;       // bytes after _start already searched for a newline

    /// <param name="maxLineBytes">Longer lines are returned cut to this many bytes (flagged truncated); the rest up to the newline is skipped.</param>
    public FileLineReader(SafeFileHandle file, long position, LineTerminator terminator, int maxLineBytes = int.MaxValue)
    {
        _file = file;
        _terminator = terminator;
        _maxLineBytes = Math.Max(maxLineBytes - maxLineBytes % terminator.Unit, terminator.Unit);
        _bufferOffset = position;
    }

    /// <summary>The file offset just after the last line returned: where the next line starts.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Bytes read past <see cref="Position"/> that do not form a complete line yet.</summary>
    public int PendingBytes => _end - _start;

    /// <summary>Forgets everything buffered and continues at <paramref name="position"/> (used to re-read an uncommitted batch).</summary>
    public void Seek(long position)
    {
        _bufferOffset = position;
        _start = 0;
        _end = 0;
        _scanned = 0;
    }

    /// <summary>
    /// The next newline-terminated line. At the end of the file returns false and leaves a partial
    /// last line unread, unless <paramref name="takePartialAtEnd"/> asks for it as a last line.
    /// </summary>
    public bool TryReadLine(bool takePartialAtEnd, out LineRead line)
    {
        var unit = _terminator.Unit;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var index = _terminator.IndexOfLf(pending[_scanned..]);
            if (index >= 0)
            {
                var length = _scanned + index;
                line = new LineRead(_terminator.TrimCr(pending[..length]), Position, truncated: false);
                _start += length + unit;
                _scanned = 0;
                return true;
            }
            _scanned = pending.Length - pending.Length % unit;
            if (pending.Length >= _maxLineBytes)
            {
                return TryReadOverlong(takePartialAtEnd, out line);
            }
            if (Fill() == 0)
            {
                if (takePartialAtEnd && pending.Length > 0)
                {
                    line = new LineRead(pending, Position, truncated: false);
                    _start = _end;
                    _scanned = 0;
                    return true;
                }
                line = default;
                return false;
            }
        }
    }

    // Reads more of the file behind the pending bytes; returns how many bytes came (0 at the end).
    private int Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, _buffer.Length * 2L));
        }
        var read = RandomAccess.Read(_file, _buffer.AsSpan(_end), _bufferOffset + _end);
        _end += read;
        return read;
    }

    // The buffered head of the line is already the longest we keep; find where the line ends
    // without holding the rest of it in memory.
    private bool TryReadOverlong(bool takePartialAtEnd, out LineRead line)
    {
        Debug.Assert(_end - _start >= _maxLineBytes);
        var unit = _terminator.Unit;
        _scratch ??= new byte[ChunkSize];
        var scanAt = Position + (_end - _start) - (_end - _start) % unit;
        while (true)
        {
            var read = RandomAccess.Read(_file, _scratch, scanAt);
            var usable = read - read % unit;
            if (usable == 0)
            {
                if (!takePartialAtEnd)
                {
                    line = default;
                    return false;
                }
                line = TakeHead(scanAt + read);
                return true;
            }
            var index = _terminator.IndexOfLf(_scratch.AsSpan(0, usable));
            if (index >= 0)
            {
                line = TakeHead(scanAt + index + unit);
                return true;
            }
            scanAt += usable;
        }
    }

    // Returns the first _maxLineBytes of the current line and moves past the line's end. The head
    // moves to the scratch buffer because seeking clears the main one.
    private LineRead TakeHead(long nextLine)
    {
        var offset = Position;
        var head = _buffer.AsSpan(_start, _maxLineBytes);
        var copy = _scratch!.Length >= head.Length ? _scratch : new byte[head.Length];
        head.CopyTo(copy);
        _scratch = copy;
        Seek(nextLine);
        return new LineRead(copy.AsSpan(0, head.Length), offset, truncated: true);
    }
}
