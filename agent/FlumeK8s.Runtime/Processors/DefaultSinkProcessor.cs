using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Processors;

/// <summary>One sink, run as it is.</summary>
public sealed class DefaultSinkProcessor(ISink sink) : ISinkProcessor
{
    public IReadOnlyList<ISink> Sinks { get; } = [sink];

    public ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken) => sink.ProcessAsync(cancellationToken);
}
