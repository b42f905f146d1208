using System.Globalization;

namespace FlumeK8s.Operator.Rendering;

/// <summary>An agent in a tier's pod: the hop on 4141, state on the tier's volume, the next tier by its headless Service's DNS name.</summary>
public sealed class PodPlacement(string clusterDomain) : IAgentPlacement
{
    public string HopBind => "0.0.0.0";

    public int HopPort => AgentLayout.HopPort;

    public string StateDirectory => AgentLayout.StateDirectory;

    public bool SecuresHops => true;

    public string ForwardHosts(string ns, string tier) =>
        string.Create(CultureInfo.InvariantCulture, $"dns:///{TierNames.HeadlessService(tier)}.{ns}.svc.{clusterDomain}:{AgentLayout.HopPort}");
}
