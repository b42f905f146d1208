namespace FlumeK8s.Operator.Local;

/// <summary>
/// Finds the generator's <c>seq=&lt;n&gt;</c> in an output line. The body comes last on a line (after
/// the headers with HEADER_AND_TEXT: <c>{file=…, timestamp=…} seq=42 …</c>), and a header value may
/// itself hold <c>seq=</c>, so the last token that stands alone wins: <c>seq=</c> at the start or after a
/// space or '}', then digits up to a space or the end.
/// </summary>
internal static class SeqToken
{
    public const string Prefix = "seq=";

    public static bool TryParse(ReadOnlySpan<char> line, out long seq)
    {
        seq = 0;
        var end = line.Length;
        while (end > 0)
        {
            var at = line[..end].LastIndexOf(Prefix, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }
            if ((at == 0 || line[at - 1] is ' ' or '}' or '\t') && TryDigits(line[(at + Prefix.Length)..], out seq))
            {
                return true;
            }
            end = at;
        }
        return false;
    }

    private static bool TryDigits(ReadOnlySpan<char> rest, out long seq)
    {
        seq = 0;
        var length = 0;
        while (length < rest.Length && length < 18 && char.IsAsciiDigit(rest[length]))
        {
            seq = seq * 10 + (rest[length] - '0');
            length++;
        }
        return length > 0 && (length == rest.Length || rest[length] is ' ' or '\t' or '\r');
    }
}
