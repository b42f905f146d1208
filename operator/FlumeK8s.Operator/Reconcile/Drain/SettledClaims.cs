namespace FlumeK8s.Operator.Reconcile.Drain;

/// <summary>
/// What <see cref="DrainedClaims.SettleAsync"/> found: drained claims still waiting for their pod to
/// go, and orphaned claims (no pod, no drain) for <see cref="OrphanedClaims"/> to drain.
/// </summary>
internal sealed record SettledClaims(IReadOnlyList<string> Waiting, IReadOnlyList<string> Orphaned);
