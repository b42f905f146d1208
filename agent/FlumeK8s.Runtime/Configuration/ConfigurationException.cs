namespace FlumeK8s.Runtime.Configuration;

/// <summary>A configuration that does not validate; carries every problem found.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigProblem> problems)
        : base($"Invalid configuration ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
               + string.Concat(problems.Select(p => Environment.NewLine + "  " + p)))
    {
        Problems = problems;
    }

    public IReadOnlyList<ConfigProblem> Problems { get; }
}
