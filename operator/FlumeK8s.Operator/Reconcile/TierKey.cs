namespace FlumeK8s.Operator.Reconcile;

/// <summary>What a reconcile request carries: which tier, nothing else (the reconciler reads the current state itself).</summary>
internal sealed record TierKey(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
