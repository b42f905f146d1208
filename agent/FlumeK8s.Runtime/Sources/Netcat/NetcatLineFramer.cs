using System.Buffers;
using System.Text;

namespace FlumeK8s.Runtime.Sources.Netcat;

/// <summary>
/// Cuts a connection's bytes into lines at '\n', as Flume's netcat source does: the newline is not
/// part of the body (a '\r' before it is), and a line may hold at most max-line-length characters
/// counting its newline. An over-long line is reported once and the rest of it, up to its newline,
/// is skipped, so one bad line costs neither the connection nor the lines after it. A line still
/// arriving is searched for its newline only in the bytes that are new, and its characters are
/// counted again only once it has doubled, so a line trickling in a byte at a time costs linear time.
/// </summary>
internal sealed class NetcatLineFramer(int maxLineLength, Encoding encoding)
{
    private readonly bool _transcode = encoding is not UTF8Encoding;
    private bool _skippingRestOfLine;

    // The unfinished line at the front of the buffer: how much of it was searched, and its length when last counted.
    private long _searched;
    private long _counted;

    /// <summary>
    /// Appends the lines found in <paramref name="buffer"/> to <paramref name="lines"/> and returns
    /// how far the buffer was consumed; an unfinished line stays unconsumed until more bytes arrive.
    /// On <paramref name="isFinal"/> an unfinished line is taken as the last line: Flume drops it,
    /// but a client that closed without a final newline still sent it.
    /// </summary>
    public SequencePosition Frame(in ReadOnlySequence<byte> buffer, bool isFinal, List<NetcatLine> lines)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (!reader.End)
        {
            if (_skippingRestOfLine)
            {
                if (!reader.TryAdvanceTo((byte)'\n'))
                {
                    reader.AdvanceToEnd();
                    break;
                }
                _skippingRestOfLine = false;
                continue;
            }
            var rest = reader.UnreadSequence;
            if (rest.Slice(_searched).PositionOf((byte)'\n') is { } newline)
            {
                var line = rest.Slice(0, newline);
                lines.Add(Fits(line) ? new NetcatLine(ToBody(line)) : NetcatLine.TooLong);
                reader.Advance(line.Length + 1);
                (_searched, _counted) = (0, 0);
                continue;
            }
            _searched = rest.Length;
            if (rest.Length >= maxLineLength && rest.Length >= 2 * _counted && !FitsCounting(rest))
            {
                lines.Add(NetcatLine.TooLong);
                _skippingRestOfLine = true;
                reader.AdvanceToEnd();
                (_searched, _counted) = (0, 0);
            }
            else if (isFinal)
            {
                lines.Add(Fits(rest) ? new NetcatLine(ToBody(rest)) : NetcatLine.TooLong);
                reader.AdvanceToEnd();
                (_searched, _counted) = (0, 0);
            }
            break;
        }
        return reader.Position;
    }

    private bool FitsCounting(in ReadOnlySequence<byte> unfinished)
    {
        _counted = unfinished.Length;
        return Fits(unfinished);
    }

    // A line fits when its characters plus the newline are within max-line-length. A character takes
    // at least one byte, so a line shorter than the limit in bytes fits without counting characters.
    private bool Fits(in ReadOnlySequence<byte> content) =>
        content.Length < maxLineLength || CountChars(content) < maxLineLength;

    private long CountChars(in ReadOnlySequence<byte> content)
    {
        if (encoding.IsSingleByte)
        {
            return content.Length;
        }
        if (content.IsSingleSegment)
        {
            return encoding.GetCharCount(content.FirstSpan);
        }
        var decoder = encoding.GetDecoder();
        long count = 0;
        foreach (var segment in content)
        {
            count += decoder.GetCharCount(segment.Span, flush: false);
        }
        return count + decoder.GetCharCount([], flush: true);
    }

    // Flume re-encodes every line as UTF-8 whatever the connection's encoding; UTF-8 input is kept byte for byte.
    private byte[] ToBody(in ReadOnlySequence<byte> line) =>
        _transcode ? Encoding.UTF8.GetBytes(encoding.GetString(line)) : line.ToArray();
}
