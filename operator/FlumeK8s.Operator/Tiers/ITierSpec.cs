namespace FlumeK8s.Operator.Tiers;

/// <summary>What every kind of tier specifies: its flow and its pods' essentials.</summary>
public interface ITierSpec
{
    FlowSpec Flow { get; }

    string? Image { get; }

    string ImagePullPolicy { get; }

    ResourceRequirements? Resources { get; }

    IReadOnlyDictionary<string, string>? NodeSelector { get; }

    IReadOnlyList<Toleration>? Tolerations { get; }

    IReadOnlyList<EnvVar>? Env { get; }

    string? ServiceAccountName { get; }

    int ShutdownGraceSeconds { get; }

    IReadOnlyList<TierVolume>? Volumes { get; }

    /// <summary>
    /// <c>storage.chownVolumes</c>: the pod's claims are made owned by the agent's user before it
    /// starts, for volumes that ignore fsGroup (hostPath-provisioned claims, NFS).
    /// </summary>
    bool ChownVolumes { get; }
}
