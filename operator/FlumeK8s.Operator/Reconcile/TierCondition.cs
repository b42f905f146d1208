namespace FlumeK8s.Operator.Reconcile;

/// <summary>One status condition of a tier (Ready, Progressing, Degraded, ConfigValid).</summary>
internal sealed record TierCondition(string Type, bool Status, string Reason, string Message);
