using System.Text;

namespace FlumeK8s.Runtime.Configuration;

/// <summary>
/// Resolves <c>${env:X}</c> (environment), <c>${sys:X}</c> (system properties given with -D) and
/// bare <c>${key}</c> (a property resolved earlier in the file). An unresolvable reference is an
/// error naming the key and line, never an empty string.
/// </summary>
public sealed class Substitution(IReadOnlyDictionary<string, string> systemProperties, Func<string, string?> environment)
{
    public static Substitution FromProcess(IReadOnlyDictionary<string, string> systemProperties) =>
        new(systemProperties, Environment.GetEnvironmentVariable);

    public IReadOnlyList<PropertyEntry> Apply(IReadOnlyList<PropertyEntry> entries, ConfigProblems problems)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<PropertyEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var value = entry.Value.Contains("${", StringComparison.Ordinal)
                ? Resolve(entry, resolved, problems)
                : entry.Value;
            resolved[entry.Key] = value;
            result.Add(entry with { Value = value });
        }
        return result;
    }

    private string Resolve(PropertyEntry entry, Dictionary<string, string> resolved, ConfigProblems problems)
    {
        var text = entry.Value;
        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf("${", position, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start + 2);
            if (start < 0 || end < 0)
            {
                builder.Append(text, position, text.Length - position);
                break;
            }
            builder.Append(text, position, start - position);
            var reference = text[(start + 2)..end];
            builder.Append(Lookup(reference, resolved) ?? Unresolved(entry, reference, problems));
            position = end + 1;
        }
        return builder.ToString();
    }

    private string? Lookup(string reference, Dictionary<string, string> resolved)
    {
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            return environment(reference[4..]);
        }
        if (reference.StartsWith("sys:", StringComparison.Ordinal))
        {
            return systemProperties.GetValueOrDefault(reference[4..]);
        }
        return resolved.GetValueOrDefault(reference);
    }

    private static string Unresolved(PropertyEntry entry, string reference, ConfigProblems problems)
    {
        var what = reference.StartsWith("env:", StringComparison.Ordinal) ? "environment variable"
            : reference.StartsWith("sys:", StringComparison.Ordinal) ? "system property (set it with -D)"
            : "property";
        problems.Error(entry.Key, entry.Line, $"${{{reference}}}: no such {what}");
        return "${" + reference + "}";
    }
}
