using System.Text.Json.Serialization;

namespace FlumeK8s.Operator.Tiers;

/// <summary>The spec of an AgentTier; defaults are the CRD's.</summary>
public sealed record AgentTierSpec(
    FlowSpec Flow,
    AgentMode Mode = AgentMode.DaemonSet,
    int Replicas = 1,
    ForwardTo? ForwardTo = null,
    AgentStorage? Storage = null) : ITierSpec
{
    [JsonIgnore]
    public TierPodSpec Pod { get; init; } = new();

    public TierWorkload Workload => Mode == AgentMode.DaemonSet ? TierWorkload.DaemonSet : TierWorkload.Deployment;

    HopSource? ITierSpec.HopSource => null;

    bool ITierSpec.ReceivesHops => false;

    bool ITierSpec.ChownVolumes => Storage?.ChownVolumes ?? false;

    ITierSpec ITierSpec.WithPod(TierPodSpec pod) => this with { Pod = pod };

    ITierSpec ITierSpec.WithHops(FlowSpec flow, ForwardTo? forwardTo, HopSource? hopSource) => this with { Flow = flow, ForwardTo = forwardTo };
}
