using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Sources;

/// <summary>
/// Produces events into its channel processor. An event-driven source runs its own loop between
/// start and stop; a pollable one (<see cref="IPollableSource"/>) is driven by a runner.
/// Stopping a source means: accept nothing new, finish or roll back what is in hand.
/// </summary>
public interface ISource : ILifecycle
{
    string Name { get; }

    SourceCounter Counter { get; }
}
