using System.Buffers;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Cuts a TCP byte stream into syslog messages, accepting both RFC 6587 framings, message by
/// message, on the same connection:
/// <list type="bullet">
/// <item>octet counting, <c>"&lt;length&gt; &lt;message&gt;"</c>: recognised only when the digits and the
/// space are followed by <c>'&lt;'</c>, so a non-syslog line that happens to start with a number
/// stays a line;</item>
/// <item>non-transparent framing: the message ends at LF (a CR before it is dropped); empty
/// lines are skipped.</item>
/// </list>
/// A message longer than the event size is cut at that size and marked truncated; the rest of it
/// becomes the next message, as in Flume, so no received byte is lost. A connection that ends
/// inside a message yields what arrived (truncated, if its octet count promised more).
/// One decoder per connection: it remembers where an octet-counted message being cut stands, and
/// how much of an unfinished line was already searched for its end, so a line trickling in a byte
/// at a time is searched in linear time.
/// </summary>
internal sealed class SyslogFrameDecoder
{
    private const int MaxLengthDigits = 9;
    private readonly int _maxMessageBytes;
    private long _countedRemaining;

    // How far the unfinished line at the front of the buffer was searched for its LF.
    private long _searched;

    public SyslogFrameDecoder(int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        _maxMessageBytes = maxMessageBytes;
    }

    private enum Framing { Line, Counted, NeedMore }

    /// <summary>
    /// Takes the next message off the front of <paramref name="buffer"/>. False when it needs more
    /// bytes; with <paramref name="isCompleted"/> (the peer closed) it only returns false once the
    /// buffer is empty.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, bool isCompleted, out SyslogFrame frame)
    {
        frame = default;
        while (!buffer.IsEmpty)
        {
            if (_countedRemaining > 0)
            {
                return TryReadCounted(ref buffer, isCompleted, out frame);
            }
            switch (DetectFraming(buffer, isCompleted, out var length, out var prefixLength))
            {
                case Framing.NeedMore:
                    return false;
                case Framing.Counted:
                    buffer = buffer.Slice(prefixLength);
                    _countedRemaining = length;
                    continue;
            }
            if (!TryReadLine(ref buffer, isCompleted, out frame))
            {
                return false;
            }
            if (frame.Bytes.Length > 0)
            {
                return true;
            }
        }
        return false;
    }

    private bool TryReadCounted(ref ReadOnlySequence<byte> buffer, bool isCompleted, out SyslogFrame frame)
    {
        var take = Math.Min(_countedRemaining, _maxMessageBytes);
        if (buffer.Length < take)
        {
            if (!isCompleted)
            {
                frame = default;
                return false;
            }
            frame = new SyslogFrame(buffer.ToArray(), Truncated: true);
            buffer = buffer.Slice(buffer.End);
            _countedRemaining = 0;
            return true;
        }
        var bytes = buffer.Slice(0, take).ToArray();
        buffer = buffer.Slice(take);
        _countedRemaining -= take;
        frame = new SyslogFrame(bytes, Truncated: _countedRemaining > 0);
        return true;
    }

    private bool TryReadLine(ref ReadOnlySequence<byte> buffer, bool isCompleted, out SyslogFrame frame)
    {
        if (!TryCutLine(ref buffer, isCompleted, out frame))
        {
            return false;
        }
        _searched = 0;
        return true;
    }

    private bool TryCutLine(ref ReadOnlySequence<byte> buffer, bool isCompleted, out SyslogFrame frame)
    {
        // Look one byte past the limit for the LF, and one more for a CR before it: a message of
        // exactly the event size is complete, not cut. The buffer starts where it did last time
        // (the caller only consumes what this decoder took), so what was searched then has no LF.
        var window = buffer.Slice(0, Math.Min(buffer.Length, _maxMessageBytes + 2L));
        var found = window.Slice(_searched).PositionOf((byte)'\n');
        _searched = window.Length;
        if (found is { } newline)
        {
            var line = buffer.Slice(0, newline);
            var length = line.Length;
            if (length > 0 && LastByte(line) == (byte)'\r')
            {
                length--;
            }
            if (length <= _maxMessageBytes)
            {
                frame = new SyslogFrame(line.Slice(0, length).ToArray(), Truncated: false);
                buffer = buffer.Slice(buffer.GetPosition(1, newline));
                return true;
            }
        }
        // A CR just past the limit may be the start of the line end: wait for the next byte before cutting.
        var mayEndAtLimit = buffer.Length == _maxMessageBytes + 1L && LastByte(buffer) == (byte)'\r';
        if (buffer.Length > _maxMessageBytes && !mayEndAtLimit)
        {
            frame = new SyslogFrame(buffer.Slice(0, _maxMessageBytes).ToArray(), Truncated: true);
            buffer = buffer.Slice(_maxMessageBytes);
            return true;
        }
        if (isCompleted)
        {
            var rest = buffer;
            if (LastByte(rest) == (byte)'\r')
            {
                rest = rest.Slice(0, rest.Length - 1);
            }
            frame = new SyslogFrame(rest.ToArray(), Truncated: false);
            buffer = buffer.Slice(buffer.End);
            return true;
        }
        frame = default;
        return false;
    }

    private static Framing DetectFraming(in ReadOnlySequence<byte> buffer, bool isCompleted, out long length, out int prefixLength)
    {
        length = 0;
        prefixLength = 0;
        Span<byte> head = stackalloc byte[MaxLengthDigits + 2];
        var available = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, available).CopyTo(head);
        head = head[..available];
        if (head[0] is < (byte)'1' or > (byte)'9')
        {
            return Framing.Line;
        }
        var digits = 1;
        while (digits < head.Length && char.IsAsciiDigit((char)head[digits]))
        {
            digits++;
        }
        if (digits > MaxLengthDigits)
        {
            return Framing.Line;
        }
        // Until the bytes after the digits have arrived it is not known whether "<digits> <" follows.
        if (digits == head.Length)
        {
            return isCompleted ? Framing.Line : Framing.NeedMore;
        }
        if (head[digits] != (byte)' ')
        {
            return Framing.Line;
        }
        if (digits + 1 == head.Length)
        {
            return isCompleted ? Framing.Line : Framing.NeedMore;
        }
        if (head[digits + 1] != (byte)'<')
        {
            return Framing.Line;
        }
        foreach (var digit in head[..digits])
        {
            length = length * 10 + (digit - '0');
        }
        prefixLength = digits + 1;
        return Framing.Counted;
    }

    private static byte LastByte(in ReadOnlySequence<byte> sequence)
    {
        Span<byte> last = stackalloc byte[1];
        sequence.Slice(sequence.Length - 1).CopyTo(last);
        return last[0];
    }
}
