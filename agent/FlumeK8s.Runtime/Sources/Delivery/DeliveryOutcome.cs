namespace FlumeK8s.Runtime.Sources.Delivery;

/// <summary>
/// The answer to one request: its <see cref="Status"/>, how many events it carried and, for
/// anything but <see cref="DeliveryStatus.Committed"/>, why, worded for the sender.
/// </summary>
internal readonly record struct DeliveryOutcome(DeliveryStatus Status, int Events, string? Reason = null)
{
    public bool IsCommitted => Status == DeliveryStatus.Committed;
}
