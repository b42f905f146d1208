namespace FlumeK8s.Runtime.Configuration;

/// <summary>Collects every problem of a configuration instead of stopping at the first.</summary>
public sealed class ConfigProblems
{
    private readonly List<ConfigProblem> _errors = [];
    private readonly List<ConfigProblem> _warnings = [];

    public IReadOnlyList<ConfigProblem> Errors => _errors;

    /// <summary>Not fatal (an unused channel, a key no component reads), but worth telling the user.</summary>
    public IReadOnlyList<ConfigProblem> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>Whether an error was reported against <paramref name="key"/> (a full key).</summary>
    public bool HasErrorAt(string key) => _errors.Exists(e => string.Equals(e.Key, key, StringComparison.Ordinal));

    public void Error(string key, int line, string message) => _errors.Add(new ConfigProblem(key, line, message));

    public void Warning(string key, int line, string message) => _warnings.Add(new ConfigProblem(key, line, message));
}
