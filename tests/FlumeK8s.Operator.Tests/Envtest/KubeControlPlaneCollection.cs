namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>Tests in this collection share one control plane instead of each paying its start-up.</summary>
[CollectionDefinition(Name)]
public sealed class KubeControlPlaneCollection : ICollectionFixture<KubeControlPlaneFixture>
{
    public const string Name = "Kubernetes control plane";
}
