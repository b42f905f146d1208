using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Topology;

/// <summary>The instances built from one plan, in the order they start.</summary>
internal sealed record RunningTopology(
    TopologyPlan Plan,
    IReadOnlyDictionary<string, IChannel> Channels,
    IReadOnlyList<SinkRunner> SinkRunners,
    IReadOnlyList<(ISource Source, ILifecycle Runner)> Sources)
{
    public static RunningTopology Empty { get; } = new(new TopologyPlan([], [], [], []), new Dictionary<string, IChannel>(), [], []);
}
