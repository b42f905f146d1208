namespace FlumeK8s.Runtime.Configuration;

/// <summary>One thing wrong with a configuration: the key that caused it and its line (0 when the key is absent).</summary>
public sealed record ConfigProblem(string Key, int Line, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"line {Line}: {Key}: {Message}" : $"{Key}: {Message}";
}
