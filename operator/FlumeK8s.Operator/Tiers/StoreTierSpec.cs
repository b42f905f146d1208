using System.Text.Json.Serialization;

namespace FlumeK8s.Operator.Tiers;

/// <summary>The spec of a StoreTier; defaults are the CRD's. A store is the last tier: it forwards nowhere.</summary>
public sealed record StoreTierSpec(
    FlowSpec Flow,
    int Replicas = 1,
    HopSource? HopSource = null,
    ClaimStorage? Storage = null,
    int DrainStallSeconds = 300,
    bool DrainOnDelete = true) : IClaimTierSpec
{
    [JsonIgnore]
    public TierPodSpec Pod { get; init; } = new();

    TierWorkload ITierSpec.Workload => TierWorkload.StatefulSet;

    ForwardTo? ITierSpec.ForwardTo => null;

    bool ITierSpec.ReceivesHops => true;

    bool ITierSpec.ChownVolumes => Storage?.ChownVolumes ?? false;

    ITierSpec ITierSpec.WithPod(TierPodSpec pod) => this with { Pod = pod };

    ITierSpec ITierSpec.WithHops(FlowSpec flow, ForwardTo? forwardTo, HopSource? hopSource) => this with { Flow = flow, HopSource = hopSource };
}
