using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Runners;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// Hands a polled source's batches to its channels through <see cref="RequestDelivery"/>, which
/// keeps the counters. A batch stays with the caller until it is committed: a refusal is an answer
/// ("try again later"), never a reason to drop events. Used by one source loop at a time.
/// </summary>
internal sealed class BatchDelivery(string source, ChannelProcessor processor, SourceCounter counter, TimeProvider time, ILogger logger)
{
    private readonly RequestDelivery _delivery = new(source, processor, counter, logger);
    private readonly List<Event> _events = [];

    /// <summary>
    /// One attempt. True when every required channel committed; false when a channel refused the
    /// batch or something else failed (an interceptor, say): either way the caller keeps it.
    /// </summary>
    public async ValueTask<bool> TryDeliverAsync(IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            return true;
        }
        _events.Clear();
        EventDraft.AddEvents(drafts, _events);
        try
        {
            var outcome = await _delivery.DeliverAsync(_events, DeliveryCall.AppendBatch, cancellationToken).ConfigureAwait(false);
            return outcome.IsCommitted;
        }
        finally
        {
            _events.Clear();
        }
    }

    /// <summary>
    /// Offers the batch until it is committed, waiting longer after each refusal. The caller reads
    /// nothing new meanwhile: that wait is the backpressure a full channel asks for.
    /// </summary>
    public async ValueTask DeliverAsync(IReadOnlyList<EventDraft> drafts, CappedBackoff backoff, CancellationToken cancellationToken)
    {
        for (var failures = 1; !await TryDeliverAsync(drafts, cancellationToken).ConfigureAwait(false); failures++)
        {
            await Task.Delay(backoff.Delay(failures), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
