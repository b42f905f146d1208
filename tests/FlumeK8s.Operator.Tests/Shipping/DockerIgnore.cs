using System.Text;
using System.Text.RegularExpressions;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>
/// A .dockerignore file: which context paths the build never sees. Docker's rules: patterns are
/// relative to the context root, <c>*</c> and <c>?</c> stay within one path element and <c>**</c>
/// spans any number, a matched folder takes everything under it, and a later <c>!pattern</c> brings
/// a path back.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Include)> _rules = [];

    private DockerIgnore(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var include = line.StartsWith('!');
            var pattern = (include ? line[1..] : line).Trim().TrimStart('/').TrimEnd('/');
            _rules.Add((new Regex("^" + Translate(pattern) + "(/.*)?$"), include));
        }
    }

    public static DockerIgnore Load(string contextDirectory)
    {
        var file = Path.Combine(contextDirectory, ".dockerignore");
        return new DockerIgnore(File.Exists(file) ? File.ReadAllLines(file) : []);
    }

    /// <param name="relativePath">A path inside the context, with forward slashes.</param>
    public bool Excludes(string relativePath)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var excluded = false;
        foreach (var (pattern, include) in _rules)
        {
            if (pattern.IsMatch(path))
            {
                excluded = !include;
            }
        }
        return excluded;
    }

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more whole folders; a trailing "**" anything at all.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        return regex.ToString();
    }
}
