using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using FlumeK8s.Operator.Yaml;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>
/// The install paths the README gives, put to a real API server with <c>kubectl apply --dry-run=server</c>:
/// admission, RBAC object checks and the CRDs' schemas judge every object without anything being kept.
/// </summary>
[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class DeployDryRunTests(KubeControlPlaneFixture fixture)
{
    private const string DryRun = "(server dry run)";

    private KubeControlPlane Plane => fixture.ControlPlane;

    [Fact]
    public void OperatorManifests_ApplyServerDryRun_AcceptsEveryObject()
    {
        InstallCrds();
        // Objects in a namespace are judged only when it exists; other tests may have made it already.
        Plane.Kubectl("create", "namespace", "flumek8s-system");

        var result = Kubectl("apply", "--dry-run=server", "-f", Path.Combine(RepositoryRoot.Path, "crds"),
            "-f", Path.Combine(RepositoryRoot.Path, "operator", "deploy"));

        foreach (var applied in new[]
                 {
                     "namespace/flumek8s-system", "serviceaccount/flumek8s-operator", "deployment.apps/flumek8s-operator",
                     "clusterrole.rbac.authorization.k8s.io/flumek8s-operator", "clusterrolebinding.rbac.authorization.k8s.io/flumek8s-operator",
                     "role.rbac.authorization.k8s.io/flumek8s-operator-leader-election",
                     "rolebinding.rbac.authorization.k8s.io/flumek8s-operator-leader-election",
                     "customresourcedefinition.apiextensions.k8s.io/collectortiers.flumek8s.io",
                 })
        {
            Assert.Contains(result.Stdout.Split('\n'), l => l.StartsWith(applied + " ", StringComparison.Ordinal) && l.EndsWith(DryRun, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Chart_DefaultValues_ApplyServerDryRun_AcceptsEveryObject()
    {
        var release = $"h{Guid.NewGuid():N}"[..10];
        Kubectl("create", "namespace", release);
        var objects = await HelmRender.ObjectsAsync(release, release);

        var result = await ApplyDryRunAsync(release, release, null);

        Assert.True(result.Succeeded, result.ToString());
        AssertEveryObjectApplied(objects, result);
        Kubectl("delete", "namespace", release, "--wait=false");
    }

    [Fact]
    public async Task Chart_MeituanTiersInAWatchedNamespace_ApplyServerDryRun_AcceptsEveryObject()
    {
        InstallCrds();
        var release = $"h{Guid.NewGuid():N}"[..10];
        var watched = $"w{Guid.NewGuid():N}"[..10];
        Kubectl("create", "namespace", release);
        Kubectl("create", "namespace", watched);
        var tiers = new JsonArray();
        foreach (var document in YamlJson.Read(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "examples", "meituan", "tiers.yaml"))))
        {
            var tier = document.Root!.AsObject();
            tiers.Add(new JsonObject
            {
                ["kind"] = tier["kind"]!.DeepClone(),
                ["name"] = tier["metadata"]!["name"]!.DeepClone(),
                ["spec"] = tier["spec"]!.DeepClone(),
            });
        }
        var values = new JsonObject
        {
            ["watchNamespace"] = watched,
            ["leaderElection"] = new JsonObject { ["enabled"] = false },
            ["tiers"] = tiers,
        }.ToJsonString();
        var objects = await HelmRender.ObjectsAsync(release, release, values);

        var result = await ApplyDryRunAsync(release, release, values);

        Assert.True(result.Succeeded, result.ToString());
        AssertEveryObjectApplied(objects, result);
        Assert.Equal(["AgentTier", "CollectorTier", "StoreTier"],
            objects.Where(o => o.Namespace() == watched && o.Kind().EndsWith("Tier", StringComparison.Ordinal)).Select(o => o.Kind()).Distinct().Order(StringComparer.Ordinal));
        Kubectl("delete", "namespace", release, watched, "--wait=false");
    }

    [Fact]
    public async Task Chart_TierAgainstItsSchema_ServerDryRunRejectsIt()
    {
        InstallCrds();
        var release = $"h{Guid.NewGuid():N}"[..10];
        Kubectl("create", "namespace", release);

        var result = await ApplyDryRunAsync(release, release, "tiers: [{kind: CollectorTier, name: bad, spec: {replicas: two}}]");

        Assert.False(result.Succeeded);
        Assert.Contains("replicas", result.Stderr, StringComparison.Ordinal);
        Kubectl("delete", "namespace", release, "--wait=false");
    }

    [Fact]
    public async Task Render_MeituanExample_KubectlApplyAcceptsItAsIs()
    {
        InstallCrds();
        var @namespace = $"render-{Guid.NewGuid():N}"[..15];
        Kubectl("create", "namespace", @namespace);
        var example = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "examples", "meituan", "tiers.yaml"));
        var tiers = Path.Combine(Plane.WorkDirectory, $"{@namespace}-tiers.yaml");
        await File.WriteAllTextAsync(tiers, example.Replace("namespace: logging", $"namespace: {@namespace}"));
        // The test API server is 1.20: PodDisruptionBudgets are served as policy/v1beta1 only.
        var rendered = await CommandRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "flumek8s.dll"), "render", "-f", tiers, "--pdb-api-version", "policy/v1beta1"],
            TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.True(rendered.Succeeded, $"flumek8s render: {rendered}");
        var manifest = Path.Combine(Plane.WorkDirectory, $"{@namespace}-rendered.yaml");
        await File.WriteAllTextAsync(manifest, rendered.Stdout);

        var applied = Kubectl("apply", "-f", manifest);

        var objects = YamlJson.Read(rendered.Stdout).Where(d => d.Root is not null).ToList();
        Assert.Equal(objects.Count, applied.Stdout.Split('\n').Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        Kubectl("delete", "namespace", @namespace, "--wait=false");
    }

    private async Task<CommandResult> ApplyDryRunAsync(string release, string @namespace, string? values)
    {
        var rendered = await HelmRender.RunAsync(release, @namespace, values);
        Assert.True(rendered.Succeeded, $"helm-render: {rendered}");
        var manifest = Path.Combine(Plane.WorkDirectory, $"{release}-chart.yaml");
        await File.WriteAllTextAsync(manifest, rendered.Stdout);
        return Plane.Kubectl("apply", "--dry-run=server", "-f", manifest);
    }

    private static void AssertEveryObjectApplied(IReadOnlyList<JsonObject> objects, CommandResult result)
    {
        var lines = result.Stdout.Split('\n').Where(l => l.EndsWith(DryRun, StringComparison.Ordinal)).ToList();
        Assert.Equal(objects.Count, lines.Count);
        foreach (var o in objects)
        {
            Assert.Contains(lines, l => l.StartsWith(o.Kind().ToLowerInvariant(), StringComparison.Ordinal) && l.Contains($"/{o.Name()} ", StringComparison.Ordinal));
        }
    }

    private void InstallCrds()
    {
        Kubectl("apply", "-f", Path.Combine(RepositoryRoot.Path, "crds"));
        Kubectl("wait", "--for=condition=Established", "crd/agenttiers.flumek8s.io", "crd/collectortiers.flumek8s.io", "crd/storetiers.flumek8s.io", "--timeout=60s");
    }

    private CommandResult Kubectl(params string[] args)
    {
        var result = Plane.Kubectl(args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
        return result;
    }
}
