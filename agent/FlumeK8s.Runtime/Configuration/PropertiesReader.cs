using System.Globalization;
using System.Text;

namespace FlumeK8s.Runtime.Configuration;

/// <summary>
/// Reads Java's .properties syntax, the format Flume's configs are written in: '#' and '!'
/// comments, '=', ':' or whitespace between key and value, backslash line continuation, and the
/// escapes \t \n \r \f \uXXXX. Keys and values are trimmed, as Flume trims them.
/// </summary>
public static class PropertiesReader
{
    public static IReadOnlyList<PropertyEntry> Read(string text, ConfigProblems problems)
    {
        var entries = new List<PropertyEntry>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var startLine = i + 1;
            var logical = lines[i].TrimStart(' ', '\t', '\f');
            if (logical.Length == 0 || logical[0] is '#' or '!')
            {
                continue;
            }
            var builder = new StringBuilder();
            while (EndsWithContinuation(logical) && i + 1 < lines.Length)
            {
                builder.Append(logical, 0, logical.Length - 1);
                logical = lines[++i].TrimStart(' ', '\t', '\f');
            }
            builder.Append(EndsWithContinuation(logical) ? logical[..^1] : logical);
            var entry = Split(builder.ToString(), startLine, problems);
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    // An odd number of trailing backslashes continues the line; an even number is escaped backslashes.
    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }
        return count % 2 == 1;
    }

    private static PropertyEntry? Split(string logical, int line, ConfigProblems problems)
    {
        var separator = -1;
        for (var i = 0; i < logical.Length; i++)
        {
            if (logical[i] == '\\')
            {
                i++;
                continue;
            }
            if (logical[i] is '=' or ':' or ' ' or '\t' or '\f')
            {
                separator = i;
                break;
            }
        }
        var rawKey = separator < 0 ? logical : logical[..separator];
        var rest = separator < 0 ? "" : logical[separator..].TrimStart(' ', '\t', '\f');
        if (rest.Length > 0 && rest[0] is '=' or ':')
        {
            rest = rest[1..];
        }
        var key = Unescape(rawKey, line, problems).Trim();
        var value = Unescape(rest, line, problems).Trim();
        return new PropertyEntry(key, value, line);
    }

    private static string Unescape(string text, int line, ConfigProblems problems)
    {
        if (!text.Contains('\\'))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                builder.Append(c);
                continue;
            }
            c = text[++i];
            switch (c)
            {
                case 't': builder.Append('\t'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 'f': builder.Append('\f'); break;
                case 'u' when i + 4 < text.Length
                              && int.TryParse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    builder.Append((char)code);
                    i += 4;
                    break;
                case 'u':
                    problems.Error(text, line, "malformed \\uXXXX escape");
                    break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }
}
