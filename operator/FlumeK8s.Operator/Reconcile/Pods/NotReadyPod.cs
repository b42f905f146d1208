namespace FlumeK8s.Operator.Reconcile.Pods;

/// <summary>A pod of a tier that is not ready, and why: its agent's own words, what Kubernetes reports, or that the reason is unknown.</summary>
internal sealed record NotReadyPod(string Name, string Reason);
