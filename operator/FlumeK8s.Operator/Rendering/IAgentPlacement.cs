namespace FlumeK8s.Operator.Rendering;

/// <summary>
/// Where a rendered agent receives, keeps its state and finds the next tier: the only parts of a
/// configuration that depend on where the agent runs. In a pod (<see cref="PodPlacement"/>) that is
/// port 4141 on every address, the tier's volume and the downstream tier's headless Service;
/// <c>flumek8s local up</c> places each process on loopback ports and in a work folder instead.
/// </summary>
public interface IAgentPlacement
{
    /// <summary>The address the hop source of a collector or store binds.</summary>
    string HopBind { get; }

    int HopPort { get; }

    /// <summary>The directory under which file channels and taildir positions live.</summary>
    string StateDirectory { get; }

    /// <summary>
    /// Whether hops carry the tier's certificate (<c>spec.tls</c>): in pods, where the Secret is
    /// mounted; not for <c>local up</c>, whose processes talk over loopback in plain text.
    /// </summary>
    bool SecuresHops { get; }

    /// <summary>The grpc sink's <c>hosts</c> for forwarding to tier <paramref name="tier"/> of namespace <paramref name="ns"/>.</summary>
    string ForwardHosts(string ns, string tier);
}
