namespace FlumeK8s.Operator.Rendering;

/// <summary>What rendering needs beyond the tiers: the image for tiers that name none, and the cluster's DNS domain.</summary>
public sealed record RenderOptions(string DefaultImage, string ClusterDomain = "cluster.local")
{
    /// <summary>Tiers that name no image run this release's (<see cref="ReleaseImage"/>).</summary>
    public RenderOptions()
        : this(ReleaseImage.Name)
    {
    }

    /// <summary>Where the agents run; null for the tier's pods (<see cref="PodPlacement"/> in <see cref="ClusterDomain"/>).</summary>
    public IAgentPlacement? Placement { get; init; }

    public IAgentPlacement AgentPlacement => Placement ?? new PodPlacement(ClusterDomain);
}
