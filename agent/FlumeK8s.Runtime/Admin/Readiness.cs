using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Admin;

/// <summary>
/// Why the agent should not receive traffic right now, or null when it should: draining, starting,
/// or every component that cannot work, each as "channel c1: …" or "sink k1: …" (what /readyz
/// answers, and what the operator shows on the tier).
/// </summary>
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
        List<string> problems =
        [
            .. host.Channels.Values.Where(c => c.UnhealthyReason is not null).Select(c => $"channel {c.Name}: {c.UnhealthyReason}"),
            .. host.SinkRunners.Select(r => r.NotStartedReason).OfType<string>(),
        ];
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
