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

    /// <summary>
    /// How many <see cref="ProcessAsync"/> calls a runner may have in progress at once, each with its
    /// own take transaction: a batch is delivered while the previous one still waits for its answer
    /// and commit. Their commits may end out of order, and a crash may repeat that many; a
    /// <see cref="BatchSink"/> writing to an ordered destination still writes them in take order.
    /// </summary>
    int BatchesInFlight => 1;
}
