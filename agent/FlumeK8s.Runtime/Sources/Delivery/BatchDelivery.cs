using FlumeK8s.Runtime.Backoff;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Runners;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// Hands a source's batches to its channel processor and keeps Flume's source counters. A batch
/// stays with the caller until it is committed: a refusal is an answer ("try again later"), never
/// a reason to drop events. Used by one source loop at a time.
/// </summary>
internal sealed partial class BatchDelivery(string source, ChannelProcessor processor, SourceCounter counter, TimeProvider time, ILogger logger)
{
    private readonly List<Event> _events = [];
    private int _refusalsInARow;

    /// <summary>One attempt. True when every required channel committed; false when a channel refused the batch.</summary>
    public async ValueTask<bool> TryDeliverAsync(IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            return true;
        }
        _events.Clear();
        for (var i = 0; i < drafts.Count; i++)
        {
            _events.Add(drafts[i].ToEvent());
        }
        counter.AddEventsReceived(drafts.Count);
        counter.IncrementAppendBatchReceived();
        try
        {
            await processor.ProcessBatchAsync(_events, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelException e)
        {
            counter.IncrementChannelWriteFail();
            if (_refusalsInARow++ == 0)
            {
                LogRefused(logger, source, drafts.Count, e.Message);
            }
            return false;
        }
        finally
        {
            _events.Clear();
        }
        if (_refusalsInARow > 0)
        {
            LogAcceptedAgain(logger, source, _refusalsInARow);
            _refusalsInARow = 0;
        }
        counter.AddEventsAccepted(drafts.Count);
        counter.IncrementAppendBatchAccepted();
        return true;
    }

    /// <summary>
    /// Offers the batch until it is committed, waiting longer after each refusal. The caller reads
    /// nothing new meanwhile: that wait is the backpressure a full channel asks for.
    /// </summary>
    public async ValueTask DeliverAsync(IReadOnlyList<EventDraft> drafts, CappedBackoff backoff, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                if (await TryDeliverAsync(drafts, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Not a channel refusal (an interceptor failed, say): still keep the batch and retry,
                // because dropping it would lose data silently.
                counter.IncrementGenericProcessingFail();
                LogDeliveryFailed(logger, source, drafts.Count, e);
            }
            await Task.Delay(backoff.Delay(failures), time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: the channel refused a batch of {Events} events ({Reason}); holding it and retrying")]
    private static partial void LogRefused(ILogger logger, string source, int events, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source}: the channel accepts events again after {Refusals} refusals")]
    private static partial void LogAcceptedAgain(ILogger logger, string source, int refusals);

    [LoggerMessage(Level = LogLevel.Error, Message = "Source {Source}: delivering a batch of {Events} events failed; holding it and retrying")]
    private static partial void LogDeliveryFailed(ILogger logger, string source, int events, Exception error);
}
