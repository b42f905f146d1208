namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// What became of a request a source was given. Each protocol answers it in its own terms (HTTP
/// status codes, Avro's Status, gRPC status codes); the source counters are kept once, by
/// <see cref="RequestDelivery"/>.
/// </summary>
internal enum DeliveryStatus
{
    /// <summary>Every required channel committed the events: the sender may forget them.</summary>
    Committed,

    /// <summary>A channel had no room (Flume's ChannelFullException): the sender should retry later.</summary>
    ChannelFull,

    /// <summary>A channel refused otherwise: closed, a failed write, a transaction over its capacity. Retrying may succeed.</summary>
    ChannelUnavailable,

    /// <summary>Something other than a channel failed (an interceptor, a selector): the agent's fault, not the sender's.</summary>
    Failed,

    /// <summary>The request could not be read as events; nothing was written and resending it the same will not help.</summary>
    Malformed,

    /// <summary>The request is over the source's size limit; nothing was written. Smaller requests may pass.</summary>
    TooLarge,
}
