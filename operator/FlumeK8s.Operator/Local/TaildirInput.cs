using System.Text.RegularExpressions;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// Where the generator writes for an agent: a file in the directory of the first file group of the
/// flow's first taildir source (already mapped into the work folder), named so the group's pattern
/// matches it.
/// </summary>
internal static class TaildirInput
{
    private static readonly string[] Candidates = ["app.log", "generated.log", "app-0.log", "app.txt", "app.out", "app", "app.log.0", "access.log", "app.json"];

    public static string? Find(ITier mappedTier)
    {
        foreach (var source in mappedTier.Spec.Flow.Sources ?? [])
        {
            if (FlowRenderer.SourceAlias(source.Type) != "taildir" || source.Properties is not { } properties
                || !properties.TryGetValue("filegroups", out var groups))
            {
                continue;
            }
            foreach (var group in groups.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (properties.TryGetValue($"filegroups.{group}", out var path) && FileFor(path) is { } file)
                {
                    return file;
                }
            }
        }
        return null;
    }

    /// <summary>A file that taildir's <c>directory/pattern</c> matches (the name part is a whole-name regular expression).</summary>
    public static string? FileFor(string groupPath)
    {
        var directory = Path.GetDirectoryName(groupPath);
        var pattern = Path.GetFileName(groupPath);
        if (string.IsNullOrEmpty(directory) || pattern.Length == 0)
        {
            return null;
        }
        Regex regex;
        try
        {
            regex = new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null; // The agent's validator reports the pattern itself.
        }
        var name = Candidates.Append(Literal(pattern) ?? "").FirstOrDefault(c => c.Length > 0 && regex.IsMatch(c));
        return name is null ? null : Path.Combine(directory, name);
    }

    /// <summary>The one name a pattern without wildcards names (<c>access\.log</c>), or null.</summary>
    private static string? Literal(string pattern)
    {
        string literal;
        try
        {
            literal = Regex.Unescape(pattern);
        }
        catch (ArgumentException)
        {
            return null;
        }
        return Regex.Escape(literal) == pattern || literal == pattern && literal.IndexOfAny(['*', '?', '+', '[', '(', '{', '|', '^', '$', '\\']) < 0 ? literal : null;
    }
}
