using System.Text.Json.Serialization;

namespace FlumeK8s.Operator.Tiers;

/// <summary>The spec of a CollectorTier; defaults are the CRD's.</summary>
public sealed record CollectorTierSpec(
    FlowSpec Flow,
    int Replicas = 1,
    ForwardTo? ForwardTo = null,
    HopSource? HopSource = null,
    ClaimStorage? Storage = null,
    int DrainStallSeconds = 300,
    bool DrainOnDelete = true) : IClaimTierSpec
{
    [JsonIgnore]
    public TierPodSpec Pod { get; init; } = new();

    TierWorkload ITierSpec.Workload => TierWorkload.StatefulSet;

    bool ITierSpec.ReceivesHops => true;

    bool ITierSpec.ChownVolumes => Storage?.ChownVolumes ?? false;

    ITierSpec ITierSpec.WithPod(TierPodSpec pod) => this with { Pod = pod };

    ITierSpec ITierSpec.WithHops(FlowSpec flow, ForwardTo? forwardTo, HopSource? hopSource) =>
        this with { Flow = flow, ForwardTo = forwardTo, HopSource = hopSource };
}
