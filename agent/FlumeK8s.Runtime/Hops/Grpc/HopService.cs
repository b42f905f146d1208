using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Sources.Delivery;
using Grpc.Core;
using Proto = FlumeK8s.Runtime.Hops.Grpc.Protocol;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// Serves AppendBatch: one request's events go to the channels through the source's
/// <see cref="RequestDelivery"/>, and the Ack (status OK) is sent only after they committed, so a
/// sender that sees OK may commit its own take. A full channel (RESOURCE_EXHAUSTED) or a failing one
/// (UNAVAILABLE) kept nothing of a batch within its transactionCapacity. A larger batch is committed
/// in parts, and parts committed before a refusal come again with the sender's retry (at least
/// once). The call's deadline (grpc-timeout) cancels a batch not yet committed.
/// </summary>
internal sealed class HopService(RequestDelivery delivery)
{
    public async Task<Proto.Ack> AppendBatchAsync(List<Event> events, ServerCallContext context)
    {
        AppendBatchCalls.MarkServed(context);
        // The request was read on the socket's own thread (inline scheduling, see GrpcSource); the
        // channels' work (a file channel's fsync) must not hold that thread, which serves other
        // connections too, so it moves to the thread pool here: one hand-off per call.
        await Task.Yield();
        var outcome = await delivery.DeliverAsync(events, DeliveryCall.AppendBatch, context.CancellationToken).ConfigureAwait(false);
        return outcome.Status switch
        {
            DeliveryStatus.Committed => new Proto.Ack { Accepted = (uint)outcome.Events },
            // Not worded "larger than max": the sink splits a batch only on that wording (GrpcRefusal).
            DeliveryStatus.ChannelFull => throw new RpcException(new Status(StatusCode.ResourceExhausted, "the channel is full; retry later: " + outcome.Reason)),
            DeliveryStatus.ChannelUnavailable => throw new RpcException(new Status(StatusCode.Unavailable, "the channel refused the batch: " + outcome.Reason)),
            _ => throw new RpcException(new Status(StatusCode.Internal, "unexpected error while appending the batch: " + outcome.Reason)),
        };
    }
}
