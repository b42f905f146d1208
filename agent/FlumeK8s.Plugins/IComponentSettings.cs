namespace FlumeK8s.Plugins;

/// <summary>
/// The component's properties (keys relative to it: <c>prefix</c> for <c>a1.sinks.k1.prefix</c>). Every
/// getter that meets a bad or missing value records a problem with the key and line and returns the
/// default, so the agent reports all problems at once and refuses to start; a key no getter asks for is
/// reported as a likely typo. Report problems of your own with <see cref="Error"/>.
/// </summary>
public interface IComponentSettings
{
    /// <summary>The component's name (<c>k1</c>).</summary>
    string Name { get; }

    bool Contains(string key);

    string? GetString(string key);

    string GetString(string key, string defaultValue);

    /// <summary>The value, or a problem "required property is missing" and "".</summary>
    string Require(string key);

    int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue);

    long GetLong(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue);

    bool GetBool(string key, bool defaultValue);

    /// <summary>One of <paramref name="allowed"/>, compared case-insensitively; returns the allowed spelling.</summary>
    string GetChoice(string key, string defaultValue, params string[] allowed);

    /// <summary>A whitespace-separated list.</summary>
    IReadOnlyList<string> GetList(string key);

    /// <summary>The keys under <paramref name="prefix"/> with the prefix removed.</summary>
    IReadOnlyDictionary<string, string> GetPrefixed(string prefix);

    void Error(string key, string message);

    void Warning(string key, string message);
}
