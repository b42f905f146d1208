using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Sinks;

/// <summary>
/// Drains one channel. Each call takes up to a batch in one transaction, delivers it, and
/// commits the take only once delivery is done; any failure rolls the take back and throws.
/// </summary>
public interface ISink : ILifecycle
{
    string Name { get; }

    IChannel Channel { get; }

    SinkCounter Counter { get; }

    ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken);
}
