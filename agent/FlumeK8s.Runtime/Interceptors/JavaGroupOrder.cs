using System.Text.RegularExpressions;

namespace FlumeK8s.Runtime.Interceptors;

/// <summary>
/// Java numbers capturing groups by the position of their opening parenthesis, named or not;
/// .NET numbers the unnamed ones first and the named ones after them. Flume configurations refer
/// to groups by Java's numbers (<c>$1</c> in a replacement, the i-th extractor serializer), so
/// this maps each Java number to the .NET group that holds the same capture.
/// </summary>
internal static class JavaGroupOrder
{
    /// <summary>Element i is the .NET number of Java group i; element 0 is the whole match.</summary>
    public static int[] Map(Regex regex)
    {
        var identity = Enumerable.Range(0, regex.GetGroupNumbers().Length).ToArray();
        if (regex.GetGroupNames().All(name => int.TryParse(name, out _)))
        {
            return identity;
        }
        var order = Scan(regex.ToString(), regex);
        // The scan only reads the pattern's text; should it ever disagree with the parser (an
        // exotic construct), the parser's own numbering is the safer answer.
        var consistent = order.Count == identity.Length - 1 && order.All(n => n > 0) && order.Distinct().Count() == order.Count;
        return consistent ? [0, .. order] : identity;
    }

    private static List<int> Scan(string pattern, Regex regex)
    {
        var order = new List<int>();
        var unnamed = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = SkipClass(pattern, i);
                    break;
                case '(' when At(pattern, i + 1) == '?':
                    if (At(pattern, i + 2) == '#')
                    {
                        i = Math.Max(i, pattern.IndexOf(')', i));
                    }
                    else if (GroupName(pattern, i + 2) is { } name)
                    {
                        order.Add(regex.GroupNumberFromName(name));
                    }
                    break;
                case '(':
                    order.Add(++unnamed);
                    break;
            }
        }
        return order;
    }

    /// <summary>The name of "(?&lt;name&gt;" or "(?'name'"; null for lookbehinds and other non-capturing forms.</summary>
    private static string? GroupName(string pattern, int start)
    {
        var close = At(pattern, start) switch { '<' => '>', '\'' => '\'', _ => '\0' };
        var first = At(pattern, start + 1);
        if (close == '\0' || !(char.IsLetter(first) || first == '_'))
        {
            return null;
        }
        var end = pattern.IndexOf(close, start + 1);
        return end < 0 ? null : pattern[(start + 1)..end];
    }

    /// <summary>The index of the ']' closing the class opened at <paramref name="open"/>; nested classes (Java, .NET subtraction) included.</summary>
    private static int SkipClass(string pattern, int open)
    {
        var i = open + 1;
        if (At(pattern, i) == '^')
        {
            i++;
        }
        if (At(pattern, i) == ']')
        {
            i++;
        }
        for (var depth = 1; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    depth++;
                    break;
                case ']':
                    if (--depth == 0)
                    {
                        return i;
                    }
                    break;
            }
        }
        return pattern.Length;
    }

    private static char At(string pattern, int index) => index < pattern.Length ? pattern[index] : '\0';
}
