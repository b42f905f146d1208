namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The bytes of request messages the grpc source holds at once, across every call and connection
/// (<c>maxInFlightBytes</c>). Calls take from it as their buffers actually grow, so a message that
/// is announced and never sent costs nothing; a message whose announced length no longer fits is
/// refused at once, and one whose bytes would pass the limit is refused when they arrive. Either
/// way the answer is RESOURCE_EXHAUSTED and the call is not queued.
/// </summary>
internal sealed class GrpcMessageBudget(long limit)
{
    private long _inUse;

    public long Limit => limit;

    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>A lease for one call; disposing it gives back all it took.</summary>
    public GrpcMessageLease Lease() => new(this);

    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref _inUse, bytes) <= limit)
        {
            return true;
        }
        Interlocked.Add(ref _inUse, -bytes);
        return false;
    }

    public void Return(long bytes) => Interlocked.Add(ref _inUse, -bytes);
}
