using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Admin;

/// <summary>Why the agent should not receive traffic right now, or null when it should.</summary>
public static class Readiness
{
    public static string? Check(AgentHost host)
    {
        if (host.IsDrainRequested && !host.IsStopping)
        {
            return "draining: emptying its channels before removal, not accepting new events (DELETE /drain cancels)";
        }
        if (host.IsDraining)
        {
            return "draining: shutting down, not accepting new events";
        }
        if (host.Channels.Count == 0)
        {
            return "starting: no topology running yet";
        }
        var unhealthy = host.Channels.Values.FirstOrDefault(c => c.UnhealthyReason is not null);
        return unhealthy is null ? null : $"channel {unhealthy.Name} is unhealthy: {unhealthy.UnhealthyReason}";
    }
}
