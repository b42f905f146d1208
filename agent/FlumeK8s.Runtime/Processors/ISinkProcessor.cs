using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Processors;

/// <summary>Picks which sink of a group runs on each turn of the sink runner.</summary>
public interface ISinkProcessor
{
    IReadOnlyList<ISink> Sinks { get; }

    /// <summary>Runs one sink once; throws when no sink could deliver.</summary>
    ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken);
}
