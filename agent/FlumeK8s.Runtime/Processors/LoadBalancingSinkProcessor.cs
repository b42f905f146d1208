using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;

namespace FlumeK8s.Runtime.Processors;

/// <summary>
/// Tries the group's sinks in the selector's order until one succeeds. The delivery fails only if
/// every sink tried failed (or all are in backoff).
/// </summary>
public sealed class LoadBalancingSinkProcessor(IReadOnlyList<ISink> sinks, ISinkSelector selector) : ISinkProcessor
{
    public IReadOnlyList<ISink> Sinks => sinks;

    public async ValueTask<PollStatus> ProcessAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var sink in selector.Order())
        {
            try
            {
                var status = await sink.ProcessAsync(cancellationToken).ConfigureAwait(false);
                selector.ReportSuccess(sink);
                return status;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                selector.ReportFailure(sink);
                last = e;
            }
        }
        throw new SinkDeliveryException(
            last is null ? "Every sink of the load-balancing group is in backoff" : "Every sink of the load-balancing group failed", last);
    }
}
