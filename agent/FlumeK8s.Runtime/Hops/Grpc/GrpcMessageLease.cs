namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>What one call holds of the source's <see cref="GrpcMessageBudget"/>.</summary>
internal sealed class GrpcMessageLease(GrpcMessageBudget budget) : IDisposable
{
    private long _held;

    /// <summary>Refuses a message whose announced length does not fit in what is left now; takes nothing.</summary>
    /// <exception cref="GrpcStatusException">RESOURCE_EXHAUSTED.</exception>
    public void Admit(long announced)
    {
        if (budget.InUse + announced > budget.Limit)
        {
            throw Exhausted(announced);
        }
    }

    /// <summary>Takes <paramref name="bytes"/> before a buffer grows by that much.</summary>
    /// <exception cref="GrpcStatusException">RESOURCE_EXHAUSTED: the source is holding too much already.</exception>
    public void Take(long bytes)
    {
        if (!budget.TryTake(bytes))
        {
            throw Exhausted(bytes);
        }
        _held += bytes;
    }

    public void Dispose()
    {
        budget.Return(_held);
        _held = 0;
    }

    private GrpcStatusException Exhausted(long bytes) => new(
        GrpcStatusCode.ResourceExhausted,
        $"the source is holding {budget.InUse} bytes of messages in flight; {bytes} more would pass maxInFlightBytes ({budget.Limit}); retry later");
}
