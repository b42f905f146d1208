using System.Text;

namespace FlumeK8s.Runtime.Sources.Files;

/// <summary>
/// How '\n' and '\r' look in a file's encoding. Lines are split on these bytes rather than on
/// decoded text so every line's end is an exact byte offset that can be saved and resumed from.
/// Matches are only accepted at multiples of the code unit (2 bytes in UTF-16), so a byte of
/// another character is never taken for a newline.
/// </summary>
internal sealed record LineTerminator(byte[] Lf, byte[] Cr)
{
    public static LineTerminator Bytes { get; } = new([(byte)'\n'], [(byte)'\r']);

    public int Unit => Lf.Length;

    public static LineTerminator For(Encoding encoding)
    {
        var lf = encoding.GetBytes("\n");
        var cr = encoding.GetBytes("\r");
        return lf.Length == 1 && lf[0] == '\n' && cr.Length == 1 && cr[0] == '\r' ? Bytes : new LineTerminator(lf, cr);
    }

    /// <summary>Index of the first newline in <paramref name="data"/> at a code-unit boundary, or -1.</summary>
    public int IndexOfLf(ReadOnlySpan<byte> data)
    {
        if (Unit == 1)
        {
            return data.IndexOf(Lf[0]);
        }
        for (var i = 0; i + Unit <= data.Length; i += Unit)
        {
            if (data.Slice(i, Unit).SequenceEqual(Lf))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The line without a trailing '\r' (Windows line ends).</summary>
    public ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length >= Unit && line[^Unit..].SequenceEqual(Cr) ? line[..^Unit] : line;
}
