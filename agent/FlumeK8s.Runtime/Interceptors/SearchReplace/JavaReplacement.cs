using System.Text;
using System.Text.RegularExpressions;

namespace FlumeK8s.Runtime.Interceptors.SearchReplace;

/// <summary>
/// Translates a replacement string written for Java's <c>Matcher.replaceAll</c> into .NET's
/// substitution syntax. Java: <c>$n</c> and <c>${name}</c> insert groups, <c>\x</c> inserts x
/// literally (so <c>\$</c> is a dollar sign), and a bad reference is an error. .NET has no
/// backslash escape and writes a literal dollar as <c>$$</c>. Every reference comes out in the
/// unambiguous <c>${n}</c> form, with Java's group number mapped to .NET's.
/// </summary>
internal static class JavaReplacement
{
    /// <summary>The .NET substitution, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static string? ToDotNet(string replacement, Regex regex, out string? error)
    {
        var groups = JavaGroupOrder.Map(regex);
        var result = new StringBuilder(replacement.Length + 8);
        error = null;
        for (var i = 0; i < replacement.Length && error is null; i++)
        {
            switch (replacement[i])
            {
                case '\\' when i + 1 == replacement.Length:
                    error = "the final '\\' escapes nothing";
                    break;
                case '\\':
                    AppendLiteral(result, replacement[++i]);
                    break;
                case '$' when i + 1 == replacement.Length:
                    error = "the final '$' names no group";
                    break;
                case '$' when replacement[i + 1] == '{':
                    i = AppendNamed(result, replacement, i + 2, regex, out error);
                    break;
                case '$' when char.IsAsciiDigit(replacement[i + 1]):
                    i = AppendNumbered(result, replacement, i + 1, groups, out error);
                    break;
                case '$':
                    error = $"'$' at {i} is followed by neither a group number nor {{name}} (write \\$ for a dollar sign)";
                    break;
                default:
                    AppendLiteral(result, replacement[i]);
                    break;
            }
        }
        return error is null ? result.ToString() : null;
    }

    private static int AppendNamed(StringBuilder result, string replacement, int start, Regex regex, out string? error)
    {
        var end = replacement.IndexOf('}', start);
        var name = end < 0 ? "" : replacement[start..end];
        error = end < 0 ? "'${' is not closed by '}'"
            : name.Length == 0 || regex.GroupNumberFromName(name) < 0 ? $"the search pattern has no group named '{name}'"
            : null;
        result.Append("${").Append(name).Append('}');
        return end < 0 ? replacement.Length : end;
    }

    /// <summary>Like Java, reads further digits only while the number still names an existing group: "$10" is group 1 then "0" when there are fewer than ten.</summary>
    private static int AppendNumbered(StringBuilder result, string replacement, int start, int[] groups, out string? error)
    {
        var number = replacement[start] - '0';
        var i = start;
        while (i + 1 < replacement.Length && char.IsAsciiDigit(replacement[i + 1]) && number * 10 + (replacement[i + 1] - '0') < groups.Length)
        {
            number = number * 10 + (replacement[++i] - '0');
        }
        error = number < groups.Length ? null : $"the search pattern has no group {number}";
        if (error is null)
        {
            result.Append("${").Append(groups[number]).Append('}');
        }
        return i;
    }

    private static void AppendLiteral(StringBuilder result, char c)
    {
        if (c == '$')
        {
            result.Append('$');
        }
        result.Append(c);
    }
}
