namespace FlumeK8s.Operator.Tiers;

/// <summary>An environment variable of the agent container, as in core/v1.</summary>
public sealed record EnvVar(string Name, string? Value = null, EnvVarSource? ValueFrom = null);
