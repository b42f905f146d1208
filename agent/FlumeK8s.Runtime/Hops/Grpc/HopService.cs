using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Metrics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Serves AppendBatch: one request's events go to the channels in one
/// <see cref="ChannelProcessor.ProcessBatchAsync"/>, and the Ack (status OK) is sent only after that
/// committed, so a sender that sees OK may commit its own take. A full channel (RESOURCE_EXHAUSTED)
/// or a failing one (UNAVAILABLE) kept nothing of a batch within its transactionCapacity. A larger
/// batch is committed in parts, and parts committed before a refusal come again with the sender's
/// retry (at least once). The call's deadline (grpc-timeout) cancels a batch not yet committed.
/// </summary>
internal sealed partial class HopService(ChannelProcessor processor, SourceCounter counter, ILogger logger)
{
    public async Task<Proto.Ack> AppendBatchAsync(List<Event> events, ServerCallContext context)
    {
        AppendBatchCalls.MarkServed(context);
        // The request was read on the socket's own thread (inline scheduling, see GrpcSource); the
        // channels' work (a file channel's fsync) must not hold that thread, which serves other
        // connections too, so it moves to the thread pool here: one hand-off per call.
        await Task.Yield();
        var count = events.Count;
        counter.IncrementAppendBatchReceived();
        counter.AddEventsReceived(count);
        try
        {
            await processor.ProcessBatchAsync(events, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ChannelFullException e)
        {
            counter.IncrementChannelWriteFail();
            LogChannelFull(logger, count, e.Message);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "the channel is full; retry later: " + e.Message));
        }
        catch (ChannelException e)
        {
            counter.IncrementChannelWriteFail();
            LogChannelRefused(logger, count, e.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, "the channel refused the batch: " + e.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            counter.IncrementGenericProcessingFail();
            LogAppendFailed(logger, e);
            throw new RpcException(new Status(StatusCode.Internal, "unexpected error while appending the batch: " + e.Message));
        }
        counter.IncrementAppendBatchAccepted();
        counter.AddEventsAccepted(count);
        return new Proto.Ack { Accepted = (uint)count };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel full: refused a batch of {Count} events with RESOURCE_EXHAUSTED: {Reason}")]
    private static partial void LogChannelFull(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel refused a batch of {Count} events; answered UNAVAILABLE: {Reason}")]
    private static partial void LogChannelRefused(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC source failed to append a batch unexpectedly; answered INTERNAL")]
    private static partial void LogAppendFailed(ILogger logger, Exception error);
}
