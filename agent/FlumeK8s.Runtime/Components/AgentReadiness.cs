namespace FlumeK8s.Runtime.Components;

/// <summary>
/// Whether the agent should receive traffic, as /readyz decides it, for components that answer
/// probes on their own port (the grpc source's <c>grpc.health.v1</c> service). The agent's host
/// exists only after the services are made, so it attaches its check later; until then (and in an
/// agent without one) the agent counts as ready.
/// </summary>
public sealed class AgentReadiness
{
    private Func<string?>? _check;

    /// <summary>Null when ready; otherwise why not.</summary>
    public string? NotReadyReason => Volatile.Read(ref _check)?.Invoke();

    public void Attach(Func<string?> check) => Volatile.Write(ref _check, check);
}
