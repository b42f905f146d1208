using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>The operator's RBAC manifest is enough, and no more is needed: the operator runs with only that service account's token.</summary>
[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OperatorRbacTests(KubeControlPlaneFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task OperatorWithOnlyItsServiceAccount_ReconcilesATier()
    {
        var plane = fixture.ControlPlane;
        var ns = $"r{Guid.NewGuid():N}"[..12];
        Run(plane, "apply", "-f", Path.Combine(RepositoryRoot.Path, "crds"));
        Run(plane, "wait", "--for=condition=Established", "crd/collectortiers.flumek8s.io", "--timeout=60s");
        plane.Kubectl("create", "namespace", "flumek8s-system");
        Run(plane, "apply", "-f", Path.Combine(RepositoryRoot.Path, "operator", "deploy", "rbac.yaml"));
        Run(plane, "create", "namespace", ns);
        using var admin = KubeClient.FromKubeconfig(plane.KubeconfigPath);
        var kubeconfig = Path.Combine(plane.WorkDirectory, $"{ns}-operator-kubeconfig");
        Kubeconfig.Write(kubeconfig, plane.ServerUrl, await ServiceAccountTokens.RequestAsync(admin, "flumek8s-system", "flumek8s-operator"));

        await TestTiers.ApplyCollectorAsync(admin, ns, "collectors", "100");

        await using var process = OperatorProcess.Start(kubeconfig, "--namespace", ns, "--lease-namespace", "flumek8s-system");
        try
        {
            await Eventually.TrueAsync(() => admin.GetAsync(ResourceKind.StatefulSet, ns, "collectors", default).Result is not null,
                "the StatefulSet applied by the operator's service account", TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => admin.GetAsync(new ResourceKind("flumek8s.io", "v1alpha1", "CollectorTier", "collectortiers"), ns, "collectors", default)
                    .Result?["status"]?["configHash"] is not null,
                "the status written by the operator's service account", TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(process.Output, l => l.Contains("Forbidden", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Assert.Equal(0, await process.StopAsync());
            output.WriteLine(string.Join('\n', process.Output.TakeLast(20)));
            plane.Kubectl("delete", "namespace", ns, "--wait=false");
        }
    }

    private static CommandResult Run(KubeControlPlane plane, params string[] args)
    {
        var result = plane.Kubectl(args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
        return result;
    }
}
