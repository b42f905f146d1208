namespace FlumeK8s.Operator.Tiers;

/// <summary>
/// An extra volume of the agent container, from exactly one source (the CRD's oneOf says so): a node
/// directory, an existing claim, a Secret, a ConfigMap or an emptyDir.
/// </summary>
public sealed record TierVolume(
    string Name,
    string MountPath,
    bool ReadOnly = false,
    string? HostPath = null,
    string? ClaimName = null,
    SecretVolumeSource? Secret = null,
    ConfigMapVolumeSource? ConfigMap = null,
    EmptyDirVolumeSource? EmptyDir = null);
