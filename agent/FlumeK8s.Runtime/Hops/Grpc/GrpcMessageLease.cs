using Grpc.Core;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>What one call holds of the source's <see cref="GrpcMessageBudget"/>.</summary>
internal sealed class GrpcMessageLease(GrpcMessageBudget budget) : IDisposable
{
    private static readonly AsyncLocal<GrpcMessageLease?> CurrentCall = new();

    private long _held;

    /// <summary>
    /// The lease of the call this code runs for, so that pieces grpc-dotnet calls without the call's
    /// context (the decompression stream) can charge it too; null outside an AppendBatch call.
    /// </summary>
    public static GrpcMessageLease? Current
    {
        get => CurrentCall.Value;
        set => CurrentCall.Value = value;
    }

    /// <summary>Refuses a message whose announced length does not fit in what is left now; takes nothing.</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED.</exception>
    public void Admit(long announced)
    {
        if (budget.InUse + announced > budget.Limit)
        {
            throw Exhausted(announced);
        }
    }

    /// <summary>Takes <paramref name="bytes"/> as they arrive, or as a buffer grows by that much.</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED: the source is holding too much already.</exception>
    public void Take(long bytes)
    {
        if (!budget.TryTake(bytes))
        {
            throw Exhausted(bytes);
        }
        Interlocked.Add(ref _held, bytes);
    }

    public void Dispose() => budget.Return(Interlocked.Exchange(ref _held, 0));

    private RpcException Exhausted(long bytes) => new(new Status(
        StatusCode.ResourceExhausted,
        $"the source is holding {budget.InUse} bytes of messages in flight; {bytes} more would pass maxInFlightBytes ({budget.Limit}); retry later"));
}
