namespace FlumeK8s.Operator.Tiers;

/// <summary>How an AgentTier runs: one agent per node, or a Deployment of agents.</summary>
public enum AgentMode
{
    DaemonSet,
    Deployment,
}
