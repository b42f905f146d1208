namespace FlumeK8s.Operator.Tiers;

/// <summary>What every kind of tier specifies: its flow, its pods, and its place in the topology.</summary>
public interface ITierSpec
{
    FlowSpec Flow { get; }

    TierPodSpec Pod { get; }

    TierWorkload Workload { get; }

    /// <summary>The pods the tier asks for; a DaemonSet's count is the cluster's.</summary>
    int Replicas { get; }

    /// <summary>The downstream tier, for the kinds that forward (agents and collectors).</summary>
    ForwardTo? ForwardTo { get; }

    /// <summary>The grpc source the tier receives on; null for a tier that receives no hops (agents).</summary>
    HopSource? HopSource { get; }

    /// <summary>Collectors and stores listen on the hop port behind their Services.</summary>
    bool ReceivesHops { get; }

    /// <summary>
    /// <c>storage.chownVolumes</c>: the pod's claims are made owned by the agent's user before it
    /// starts, for volumes that ignore fsGroup (hostPath-provisioned claims, NFS).
    /// </summary>
    bool ChownVolumes { get; }

    ITierSpec WithPod(TierPodSpec pod);

    /// <summary>The same spec with its flow, forwardTo and hop source replaced (what <c>local up</c> rewrites).</summary>
    ITierSpec WithHops(FlowSpec flow, ForwardTo? forwardTo, HopSource? hopSource);
}
