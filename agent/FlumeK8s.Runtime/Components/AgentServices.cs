using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Components;

/// <summary>What every component may use from its agent: the clock, randomness and logging, injected so tests control them.</summary>
public sealed record AgentServices(string AgentName, TimeProvider Time, Func<Random> RandomFactory, ILoggerFactory Logs)
{
    /// <summary>The agent's readiness, for components that report it on their own ports.</summary>
    public AgentReadiness Readiness { get; init; } = new();

    public static AgentServices ForTests(string agentName = "a1", TimeProvider? time = null) =>
        new(agentName, time ?? TimeProvider.System, () => new Random(42), NullLoggerFactory.Instance);
}
