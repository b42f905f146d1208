using System.Diagnostics;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// The one place a source's requests meet its channels: it offers a request's events to the
/// channel processor, keeps Flume's source counters and turns what happened into a
/// <see cref="DeliveryOutcome"/>, which each protocol answers in its own terms. Requests that never
/// reach the channels (unreadable, too large, a handler that failed) are counted here too.
/// Safe for concurrent requests.
/// <para>
/// A refusing channel refuses every request until it has room again, so only the first refusal of
/// such a run is logged (with its reason), and the end of the run; the ChannelWriteFail counter
/// counts every one.
/// </para>
/// </summary>
internal sealed partial class RequestDelivery(string source, ChannelProcessor processor, SourceCounter counter, ILogger logger)
{
    private int _refusalsInARow;

    /// <summary>
    /// Offers <paramref name="events"/> (the processor's to change: interceptors may drop some) to
    /// the channels once. Never throws for a channel's or an interceptor's failure: that is an
    /// outcome. Cancellation by <paramref name="cancellationToken"/> (the source stopping, the
    /// client gone, a deadline) propagates: the caller knows which one it was and whom to answer.
    /// </summary>
    public async ValueTask<DeliveryOutcome> DeliverAsync(List<Event> events, DeliveryCall call, CancellationToken cancellationToken)
    {
        var count = events.Count;
        if (call == DeliveryCall.Append)
        {
            counter.IncrementAppendReceived();
        }
        else
        {
            counter.IncrementAppendBatchReceived();
        }
        counter.AddEventsReceived(count);
        try
        {
            await processor.ProcessBatchAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelFullException e)
        {
            return Refused(DeliveryStatus.ChannelFull, count, e.Message);
        }
        catch (ChannelException e)
        {
            return Refused(DeliveryStatus.ChannelUnavailable, count, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            counter.IncrementGenericProcessingFail();
            LogDeliveryFailed(logger, source, count, e);
            return new DeliveryOutcome(DeliveryStatus.Failed, count, e.Message);
        }
        if (Interlocked.Exchange(ref _refusalsInARow, 0) is var refusals and > 0)
        {
            LogAcceptedAgain(logger, source, refusals);
        }
        if (call == DeliveryCall.Append)
        {
            counter.IncrementAppendAccepted();
        }
        else
        {
            counter.IncrementAppendBatchAccepted();
        }
        counter.AddEventsAccepted(count);
        return new DeliveryOutcome(DeliveryStatus.Committed, count);
    }

    /// <summary>A request refused before it became events (<see cref="DeliveryStatus.Malformed"/> or <see cref="DeliveryStatus.TooLarge"/>); nothing was written.</summary>
    public DeliveryOutcome Refuse(DeliveryStatus status, string remote, string reason)
    {
        Debug.Assert(status is DeliveryStatus.Malformed or DeliveryStatus.TooLarge, "only requests that were never offered to the channels are refused here");
        counter.IncrementEventReadFail();
        LogRequestRefused(logger, source, remote, status, reason);
        return new DeliveryOutcome(status, 0, reason);
    }

    /// <summary>Reading a request failed in a way that is the agent's fault, not the client's (a handler's bug); nothing was written.</summary>
    public DeliveryOutcome Fail(string remote, Exception error)
    {
        counter.IncrementGenericProcessingFail();
        LogReadFailed(logger, source, remote, error);
        return new DeliveryOutcome(DeliveryStatus.Failed, 0, error.Message);
    }

    private DeliveryOutcome Refused(DeliveryStatus status, int count, string reason)
    {
        counter.IncrementChannelWriteFail();
        if (Interlocked.Increment(ref _refusalsInARow) == 1)
        {
            LogRefused(logger, source, count, reason);
        }
        return new DeliveryOutcome(status, count, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: the channel refused a batch of {Events} events ({Reason}); further refusals are counted, not logged, until it accepts again")]
    private static partial void LogRefused(ILogger logger, string source, int events, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source}: the channel accepts events again after {Refusals} refusals")]
    private static partial void LogAcceptedAgain(ILogger logger, string source, int refusals);

    [LoggerMessage(Level = LogLevel.Error, Message = "Source {Source}: delivering a batch of {Events} events failed")]
    private static partial void LogDeliveryFailed(ILogger logger, string source, int events, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: {Remote} sent bad input, refused as {Status}: {Reason}")]
    private static partial void LogRequestRefused(ILogger logger, string source, string remote, DeliveryStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Source {Source} failed reading a request from {Remote}")]
    private static partial void LogReadFailed(ILogger logger, string source, string remote, Exception error);
}
