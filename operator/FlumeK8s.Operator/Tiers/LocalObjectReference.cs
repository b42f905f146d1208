namespace FlumeK8s.Operator.Tiers;

/// <summary>An object of the tier's namespace named by the pod, e.g. an image pull Secret.</summary>
public sealed record LocalObjectReference(string Name);
