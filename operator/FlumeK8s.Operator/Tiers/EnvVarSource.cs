namespace FlumeK8s.Operator.Tiers;

/// <summary>Where an environment variable's value comes from, as in core/v1.</summary>
public sealed record EnvVarSource(
    FieldSelector? FieldRef = null,
    ResourceFieldSelector? ResourceFieldRef = null,
    KeySelector? ConfigMapKeyRef = null,
    KeySelector? SecretKeyRef = null);
