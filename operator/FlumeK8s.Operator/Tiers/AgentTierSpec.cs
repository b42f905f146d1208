namespace FlumeK8s.Operator.Tiers;

/// <summary>The spec of an AgentTier; defaults are the CRD's.</summary>
public sealed record AgentTierSpec(
    FlowSpec Flow,
    AgentMode Mode = AgentMode.DaemonSet,
    int Replicas = 1,
    ForwardTo? ForwardTo = null,
    AgentStorage? Storage = null,
    string? Image = null,
    string ImagePullPolicy = "IfNotPresent",
    ResourceRequirements? Resources = null,
    IReadOnlyDictionary<string, string>? NodeSelector = null,
    IReadOnlyList<Toleration>? Tolerations = null,
    IReadOnlyList<EnvVar>? Env = null,
    string? ServiceAccountName = null,
    int ShutdownGraceSeconds = 25,
    IReadOnlyList<TierVolume>? Volumes = null) : ITierSpec
{
    bool ITierSpec.ChownVolumes => Storage?.ChownVolumes ?? false;
}
