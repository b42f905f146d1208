using System.Text.Json.Nodes;

namespace FlumeK8s.Operator.Tiers;

/// <summary>
/// The pod fields every kind of tier shares, read from the tier's spec (they sit beside the flow, not
/// under a key of their own) and described once, by the schema fragment every CRD carries.
/// <paramref name="Affinity"/>, <paramref name="TopologySpreadConstraints"/>, <paramref name="PodSecurityContext"/>
/// and <paramref name="SecurityContext"/> are core/v1 objects passed through as written: the API server
/// checks them when it takes the workload.
/// </summary>
public sealed record TierPodSpec(
    string? Image = null,
    string ImagePullPolicy = "IfNotPresent",
    IReadOnlyList<LocalObjectReference>? ImagePullSecrets = null,
    ResourceRequirements? Resources = null,
    IReadOnlyDictionary<string, string>? NodeSelector = null,
    IReadOnlyList<Toleration>? Tolerations = null,
    JsonObject? Affinity = null,
    JsonArray? TopologySpreadConstraints = null,
    string? PriorityClassName = null,
    IReadOnlyList<EnvVar>? Env = null,
    string? ServiceAccountName = null,
    bool AutomountServiceAccountToken = false,
    int ShutdownGraceSeconds = 25,
    IReadOnlyList<TierVolume>? Volumes = null,
    IReadOnlyDictionary<string, string>? PodLabels = null,
    IReadOnlyDictionary<string, string>? PodAnnotations = null,
    JsonObject? PodSecurityContext = null,
    JsonObject? SecurityContext = null,
    IReadOnlyDictionary<string, string>? ServiceAnnotations = null,
    HopTls? Tls = null);
