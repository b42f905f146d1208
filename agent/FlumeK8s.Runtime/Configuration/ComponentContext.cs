using System.Globalization;

namespace FlumeK8s.Runtime.Configuration;

/// <summary>
/// The properties of one component (keys relative to it, e.g. <c>port</c> for
/// <c>a1.sources.r1.port</c>) with typed getters that record a problem, with key and line, for
/// every bad or missing value and return the default so validation can go on.
/// </summary>
public sealed class ComponentContext
{
    private readonly IReadOnlyDictionary<string, PropertyEntry> _entries;
    private readonly HashSet<string> _used;
    private readonly ConfigProblems _problems;

    public ComponentContext(string fullPrefix, string name, IReadOnlyDictionary<string, PropertyEntry> entries, ConfigProblems problems, int line)
        : this(fullPrefix, name, entries, problems, line, new HashSet<string>(StringComparer.Ordinal), "")
    {
    }

    private ComponentContext(string fullPrefix, string name, IReadOnlyDictionary<string, PropertyEntry> entries,
        ConfigProblems problems, int line, HashSet<string> used, string relativePrefix)
    {
        FullPrefix = fullPrefix;
        Name = name;
        _entries = entries;
        _problems = problems;
        Line = line;
        _used = used;
        RelativePrefix = relativePrefix;
    }

    /// <summary>The key prefix of the component, e.g. <c>a1.sources.r1.</c>.</summary>
    public string FullPrefix { get; }

    public string Name { get; }

    /// <summary>The line where the component is first configured; used for problems about absent keys.</summary>
    public int Line { get; }

    private string RelativePrefix { get; }

    public ConfigProblems Problems => _problems;

    /// <summary>A view of the keys under <paramref name="prefix"/> (e.g. <c>selector.</c>), sharing problems and bookkeeping.</summary>
    public ComponentContext Scope(string prefix) =>
        new(FullPrefix, Name, _entries, _problems, Line, _used, RelativePrefix + prefix);

    public bool Contains(string key) => _entries.ContainsKey(RelativePrefix + key);

    public string FullKey(string key) => FullPrefix + RelativePrefix + key;

    public int LineOf(string key) => _entries.TryGetValue(RelativePrefix + key, out var entry) ? entry.Line : Line;

    public void Error(string key, string message) => _problems.Error(FullKey(key), LineOf(key), message);

    public void Warning(string key, string message) => _problems.Warning(FullKey(key), LineOf(key), message);

    /// <summary>Whether <paramref name="key"/>'s value was refused. A check that compares it with
    /// another value skips it then: the default that stands in says nothing about what was meant.</summary>
    public bool HasError(string key) => _problems.HasErrorAt(FullKey(key));

    public string? GetString(string key)
    {
        if (!_entries.TryGetValue(RelativePrefix + key, out var entry))
        {
            return null;
        }
        _used.Add(entry.Key);
        return entry.Value;
    }

    public string GetString(string key, string defaultValue) => GetString(key) ?? defaultValue;

    public string Require(string key)
    {
        var value = GetString(key);
        if (value is null)
        {
            Error(key, "required property is missing");
        }
        return value ?? "";
    }

    public int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)GetLong(key, defaultValue, min, max);

    public int RequireInt(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!Contains(key))
        {
            Error(key, "required property is missing");
            return Math.Max(min, 0);
        }
        return GetInt(key, 0, min, max);
    }

    public long GetLong(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(key, $"'{text}' is not a whole number");
            return defaultValue;
        }
        if (value < min)
        {
            Error(key, $"{value} is below the minimum {min}");
            return defaultValue;
        }
        if (value > max)
        {
            Error(key, $"{value} is above the maximum {max}");
            return defaultValue;
        }
        return value;
    }

    public bool GetBool(string key, bool defaultValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        Error(key, $"'{text}' is not true or false");
        return defaultValue;
    }

    /// <summary>One of <paramref name="allowed"/>, compared case-insensitively; returns the allowed spelling.</summary>
    public string GetChoice(string key, string defaultValue, params string[] allowed)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(key, $"'{text}' is not one of: {string.Join(", ", allowed)}");
            return defaultValue;
        }
        return match;
    }

    /// <summary>A whitespace-separated list (Flume's list syntax).</summary>
    public IReadOnlyList<string> GetList(string key) =>
        GetString(key)?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The keys under <paramref name="prefix"/> with the prefix removed (e.g. <c>mapping.</c> → value).</summary>
    public IReadOnlyDictionary<string, string> GetPrefixed(string prefix)
    {
        var full = RelativePrefix + prefix;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, entry) in _entries)
        {
            if (key.StartsWith(full, StringComparison.Ordinal) && key.Length > full.Length)
            {
                _used.Add(entry.Key);
                result[key[full.Length..]] = entry.Value;
            }
        }
        return result;
    }

    /// <summary>
    /// The same properties with problems and bookkeeping of their own: for reading settings again when
    /// a component is built, after validation has reported what was wrong.
    /// </summary>
    public ComponentContext Detached() =>
        new(FullPrefix, Name, _entries, new ConfigProblems(), Line, new HashSet<string>(StringComparer.Ordinal), RelativePrefix);

    /// <summary>Keys no getter asked for: most likely typos, which Flume would silently ignore.</summary>
    public IEnumerable<PropertyEntry> UnusedEntries() =>
        _entries.Values.Where(e => !_used.Contains(e.Key)).OrderBy(e => e.Line);
}
