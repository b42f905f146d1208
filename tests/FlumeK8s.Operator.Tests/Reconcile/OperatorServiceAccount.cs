using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>
/// The operator's identity in the tests: the CRDs and operator/deploy/rbac.yaml applied, and a
/// kubeconfig holding a token of the operator's service account. Every operator process the tests
/// start runs with it, so every scenario also proves the manifests grant enough.
/// </summary>
internal static class OperatorServiceAccount
{
    /// <summary>Where rbac.yaml puts the service account and its leader-election rights.</summary>
    public const string Namespace = "flumek8s-system";

    public static async Task<string> KubeconfigAsync(KubeControlPlane plane, KubeClient admin)
    {
        Apply(plane, "apply", "-f", Path.Combine(RepositoryRoot.Path, "crds"));
        Apply(plane, "wait", "--for=condition=Established", "crd/collectortiers.flumek8s.io", "crd/storetiers.flumek8s.io", "crd/agenttiers.flumek8s.io", "--timeout=60s");
        plane.Kubectl("create", "namespace", Namespace); // fails harmlessly when an earlier scenario made it
        Apply(plane, "apply", "-f", Path.Combine(RepositoryRoot.Path, "operator", "deploy", "rbac.yaml"));
        var kubeconfig = Path.Combine(plane.WorkDirectory, $"operator-{Guid.NewGuid():N}.kubeconfig");
        Kubeconfig.Write(kubeconfig, plane.ServerUrl, await ServiceAccountTokens.RequestAsync(admin, Namespace, "flumek8s-operator"));
        return kubeconfig;
    }

    /// <summary>A fresh namespace for one scenario's tiers.</summary>
    public static string NewNamespace(KubeControlPlane plane, string prefix)
    {
        var ns = $"{prefix}{Guid.NewGuid():N}"[..12];
        Apply(plane, "create", "namespace", ns);
        return ns;
    }

    private static void Apply(KubeControlPlane plane, params string[] args)
    {
        var result = plane.Kubectl(args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
    }
}
