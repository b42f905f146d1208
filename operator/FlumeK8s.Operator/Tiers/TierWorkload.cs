namespace FlumeK8s.Operator.Tiers;

/// <summary>The workload a tier's pods run in.</summary>
public enum TierWorkload
{
    /// <summary>One agent per node, its state in a node directory.</summary>
    DaemonSet,

    /// <summary>Interchangeable agents, their state in an emptyDir.</summary>
    Deployment,

    /// <summary>Pods with a claim each, receiving hops behind a headless Service.</summary>
    StatefulSet,
}
