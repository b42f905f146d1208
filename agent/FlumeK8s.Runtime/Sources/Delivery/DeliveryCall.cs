namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>Which of Flume's counter pairs a request counts in: AppendReceived/Accepted or AppendBatchReceived/Accepted.</summary>
internal enum DeliveryCall
{
    /// <summary>A call for a single event (Avro's <c>append</c>).</summary>
    Append,

    /// <summary>A call for a batch of events (every HTTP and gRPC request, Avro's <c>appendBatch</c>, a polled source's batch).</summary>
    AppendBatch,
}
