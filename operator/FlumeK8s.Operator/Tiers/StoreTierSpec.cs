namespace FlumeK8s.Operator.Tiers;

/// <summary>The spec of a StoreTier; defaults are the CRD's.</summary>
public sealed record StoreTierSpec(
    FlowSpec Flow,
    int Replicas = 1,
    HopSource? HopSource = null,
    ClaimStorage? Storage = null,
    string? Image = null,
    string ImagePullPolicy = "IfNotPresent",
    ResourceRequirements? Resources = null,
    IReadOnlyDictionary<string, string>? NodeSelector = null,
    IReadOnlyList<Toleration>? Tolerations = null,
    IReadOnlyList<EnvVar>? Env = null,
    string? ServiceAccountName = null,
    int ShutdownGraceSeconds = 25,
    IReadOnlyList<TierVolume>? Volumes = null,
    int DrainStallSeconds = 300,
    bool DrainOnDelete = true) : IClaimTierSpec
{
    bool ITierSpec.ChownVolumes => Storage?.ChownVolumes ?? false;
}
