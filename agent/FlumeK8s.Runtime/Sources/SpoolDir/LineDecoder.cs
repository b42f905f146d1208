using System.Text;

namespace FlumeK8s.Runtime.Sources.SpoolDir;

/// <summary>
/// Flume's LINE deserializer body: a line's bytes decoded with <c>inputCharset</c> (its fallback
/// applies <c>decodeErrorPolicy</c>; FAIL throws <see cref="DecoderFallbackException"/>), cut to
/// <c>maxLineLength</c> characters, encoded with <c>outputCharset</c>.
/// </summary>
internal sealed class LineDecoder(Encoding input, int maxLineLength, Encoding output)
{
    /// <summary>Bytes enough to hold <c>maxLineLength</c> characters: the reader keeps no more of a line.</summary>
    public int MaxLineBytes { get; } = (int)Math.Min(int.MaxValue / 2, (long)input.GetMaxByteCount(maxLineLength));

    /// <summary>Lines cut since this decoder was made.</summary>
    public int TruncatedLines { get; private set; }

    /// <param name="cutShort">The reader already cut the line's bytes, so the last character may be incomplete.</param>
    public byte[] Decode(ReadOnlySpan<byte> line, bool cutShort)
    {
        string text;
        if (cutShort)
        {
            // flush: false holds back an incomplete last character instead of calling it a decode error.
            var chars = new char[input.GetMaxCharCount(line.Length)];
            var count = input.GetDecoder().GetChars(line, chars, flush: false);
            text = new string(chars, 0, count);
        }
        else
        {
            text = input.GetString(line);
        }
        if (text.Length > maxLineLength)
        {
            var keep = char.IsHighSurrogate(text[maxLineLength - 1]) ? maxLineLength - 1 : maxLineLength;
            text = text[..keep];
            cutShort = true;
        }
        if (cutShort)
        {
            TruncatedLines++;
        }
        return output.GetBytes(text);
    }
}
