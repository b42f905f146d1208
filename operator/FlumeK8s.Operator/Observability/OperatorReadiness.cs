namespace FlumeK8s.Operator.Observability;

/// <summary>Why the operator is not ready yet, or null when it is.</summary>
internal sealed class OperatorReadiness
{
    private volatile string? _notReady = "starting: not connected to the API server yet";

    public string? NotReadyReason => _notReady;

    public void Ready() => _notReady = null;

    public void NotReady(string reason) => _notReady = reason;
}
