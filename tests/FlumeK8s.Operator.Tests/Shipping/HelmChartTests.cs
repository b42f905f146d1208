using System.Text.Json.Nodes;
using FlumeK8s.Operator.Cli;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tests.Rendering;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Operator.Tests.Support;
using FlumeK8s.Operator.Yaml;

namespace FlumeK8s.Operator.Tests.Shipping;

/// <summary>charts/flumek8s rendered as helm template would; the API server's verdict is in <see cref="DeployDryRunTests"/>.</summary>
public sealed class HelmChartTests
{
    private const string Image = "ghcr.io/flumek8s/flumek8s:0.1.0";

    [Fact]
    public async Task Render_DefaultValues_ClusterWideOperatorWithLeaderElectionInTheReleaseNamespace()
    {
        var objects = await HelmRender.ObjectsAsync("flumek8s", "ops");

        Assert.Equal(
            ["ClusterRole/flumek8s", "ClusterRoleBinding/flumek8s", "Deployment/flumek8s", "Role/flumek8s-leader-election",
                "RoleBinding/flumek8s-leader-election", "ServiceAccount/flumek8s"],
            objects.Select(o => $"{o.Kind()}/{o.Name()}").Order(StringComparer.Ordinal));
        var arguments = Parse(objects.Single("Deployment"));
        Assert.True(arguments.AllNamespaces);
        Assert.True(arguments.LeaderElect);
        Assert.Equal("ops", arguments.LeaseNamespace);
        Assert.Equal(Image, arguments.Image);
        Assert.Equal("ops", objects.Single("Role").Namespace());
        var subject = objects.Single("ClusterRoleBinding")["subjects"]![0]!;
        Assert.Equal(("ServiceAccount", "flumek8s", "ops"), ((string)subject["kind"]!, (string)subject["name"]!, (string)subject["namespace"]!));
        var container = objects.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(Image, (string)container["image"]!);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        // Probes on the operator's own metrics port, which a PodMonitor can also scrape.
        Assert.Equal("/healthz", (string)container["livenessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal("/readyz", (string)container["readinessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal(OperatorArguments.DefaultMetricsPort, (long)container["ports"]![0]!["containerPort"]!);
        Assert.Equal(OperatorArguments.DefaultMetricsPort, arguments.MetricsPort);
    }

    [Fact]
    public async Task Render_WatchNamespaceTiersAndNoLeaderElection_RolesOnlyInThatNamespace()
    {
        var objects = await HelmRender.ObjectsAsync("ops", "flumek8s-system", """
            watchNamespace: team-a
            leaderElection: {enabled: false}
            serviceAccount: {name: runner}
            tiers:
            - kind: CollectorTier
              name: collectors
              labels: {team: a}
              spec: {replicas: 2, flow: {channels: [{name: c1, type: memory}], sinks: [{name: k1, type: logger, channel: c1}]}}
            """);

        Assert.DoesNotContain(objects, o => o.Kind() is "ClusterRole" or "ClusterRoleBinding");
        Assert.Equal("team-a", objects.Single("Role", "ops-flumek8s").Namespace());
        Assert.Equal("team-a", objects.Single("RoleBinding", "ops-flumek8s").Namespace());
        Assert.Equal("runner", (string)objects.Single("RoleBinding")["subjects"]![0]!["name"]!);
        Assert.Equal("runner", objects.Single("ServiceAccount").Name());
        var deployment = objects.Single("Deployment");
        var arguments = Parse(deployment);
        Assert.Equal("team-a", arguments.Namespace);
        Assert.False(arguments.AllNamespaces);
        Assert.False(arguments.LeaderElect);
        Assert.Equal("Recreate", (string)deployment["spec"]!["strategy"]!["type"]!);
        var tier = objects.Single("CollectorTier", "collectors");
        Assert.Equal("flumek8s.io/v1alpha1", (string)tier["apiVersion"]!);
        Assert.Equal("team-a", tier.Namespace());
        Assert.Equal("a", (string)tier["metadata"]!["labels"]!["team"]!);
        Assert.Equal(2L, (long)tier["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task Render_WatchNamespaceWithLeaderElection_LeaseRoleInTheWatchedNamespace()
    {
        var objects = await HelmRender.ObjectsAsync("ops", "flumek8s-system", "watchNamespace: team-a");

        Assert.Equal("team-a", objects.Single("Role", "ops-flumek8s-leader-election").Namespace());
        Assert.Equal("team-a", Parse(objects.Single("Deployment")).LeaseNamespace);
    }

    [Fact]
    public async Task Render_ImageTagAndPullPolicy_ReachTheOperatorAndItsAgents()
    {
        var objects = await HelmRender.ObjectsAsync("ops", "ops", "image: {repository: registry.local/flumek8s, tag: dev, pullPolicy: Always}");

        var container = objects.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("registry.local/flumek8s:dev", (string)container["image"]!);
        Assert.Equal("Always", (string)container["imagePullPolicy"]!);
        Assert.Equal("registry.local/flumek8s:dev", Parse(objects.Single("Deployment")).Image);
    }

    [Theory]
    [InlineData("replicas: 2\nleaderElection: {enabled: false}", "replicas above 1 need leaderElection.enabled")]
    [InlineData("tiers: [{kind: Pipeline, name: p, spec: {}}]", "tiers[0].kind is \"Pipeline\"")]
    [InlineData("tiers: [{kind: StoreTier, spec: {}}]", "tiers[0].name is required")]
    [InlineData("watchNamespace: a\ntiers: [{kind: StoreTier, name: s, namespace: b, spec: {}}]", "which the operator does not watch")]
    [InlineData("serviceAccount: {create: false}", "serviceAccount.name is required")]
    public async Task Render_BadValues_FailsWithTheReason(string values, string reason)
    {
        var result = await HelmRender.RunAsync("ops", "ops", values);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PodMonitor_SelectsEveryTiersAgentPodsOnTheirAdminPort()
    {
        var objects = await HelmRender.ObjectsAsync("ops", "ops", "watchNamespace: logging\nmetrics: {podMonitor: {enabled: true, interval: 15s, labels: {release: prom}}}");
        var monitor = objects.Single("PodMonitor");
        var read = TierReader.Read(await File.ReadAllTextAsync(Path.Combine(Fixtures.RepositoryRoot, "examples", "meituan", "tiers.yaml")));
        var workloads = TierRenderer.RenderAll(read.Tiers, new RenderOptions())
            .Select(r => r.Objects.Single(o => o.Kind() is "DaemonSet" or "Deployment" or "StatefulSet")).ToList();

        Assert.Equal("prom", (string)monitor["metadata"]!["labels"]!["release"]!);
        Assert.Equal("logging", (string)monitor["spec"]!["namespaceSelector"]!["matchNames"]![0]!);
        var endpoint = monitor["spec"]!["podMetricsEndpoints"]![0]!;
        Assert.Equal(("admin", "/metrics/prometheus", "15s"), ((string)endpoint["port"]!, (string)endpoint["path"]!, (string)endpoint["interval"]!));
        Assert.Equal(3, workloads.Count);
        foreach (var workload in workloads)
        {
            var podLabels = workload["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            Assert.All(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), label => Assert.Equal((string)label.Value!, (string?)podLabels[label.Key]));
            Assert.Contains(Fixtures.Container(workload)["ports"]!.AsArray(), p => (string)p!["name"]! == "admin");
        }
    }

    [Fact]
    public async Task Render_Notes_NameTheWatchedNamespaceAndTiers()
    {
        var result = await HelmRender.RunAsync("ops", "flumek8s-system", "watchNamespace: team-a\ntiers: [{kind: StoreTier, name: stores, spec: {}}]", notes: true);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("watches namespace team-a", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("StoreTier team-a/stores", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rbac_ChartRules_SameAsTheOperatorManifest()
    {
        var manifest = YamlJson.Read(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "operator", "deploy", "rbac.yaml")))
            .Select(d => d.Root!.AsObject()).ToList();
        var clusterWide = await HelmRender.ObjectsAsync("ops", "ops");
        var namespaced = await HelmRender.ObjectsAsync("ops", "ops", "watchNamespace: team-a");

        var rules = manifest.Single("ClusterRole")["rules"]!.ToJsonString();
        Assert.Equal(rules, clusterWide.Single("ClusterRole")["rules"]!.ToJsonString());
        Assert.Equal(rules, namespaced.Single("Role", "ops-flumek8s")["rules"]!.ToJsonString());
        var leaseRules = manifest.Single("Role")["rules"]!.ToJsonString();
        Assert.Equal(leaseRules, clusterWide.Single("Role")["rules"]!.ToJsonString());
        Assert.Contains("leases", leaseRules, StringComparison.Ordinal);
        Assert.DoesNotContain("leases", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Crds_InTheChart_ByteIdenticalToTheRepositorys()
    {
        var repository = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "crds")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var chart = Directory.GetFiles(Path.Combine(HelmRender.ChartDirectory, "crds")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(repository, chart);
        foreach (var name in repository)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "crds", name!)).AsSpan()
                    .SequenceEqual(File.ReadAllBytes(Path.Combine(HelmRender.ChartDirectory, "crds", name!))),
                $"charts/flumek8s/crds/{name} differs from crds/{name}: copy it over");
        }
    }

    [Fact]
    public async Task OperatorManifest_DeploymentArguments_AreWhatTheOperatorAccepts()
    {
        var objects = YamlJson.Read(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "operator", "deploy", "operator.yaml")))
            .Select(d => d.Root!.AsObject()).ToList();

        var deployment = objects.Single("Deployment", "flumek8s-operator");
        var arguments = Parse(deployment);
        Assert.True(arguments.AllNamespaces);
        Assert.Equal("flumek8s-system", arguments.LeaseNamespace);
        Assert.Equal(Image, arguments.Image);
        Assert.Equal("flumek8s-system", objects.Single("Namespace").Name());
        Assert.Equal("flumek8s-operator", (string)deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!);
    }

    [Fact]
    public async Task Render_CertificateLifetimes_PassedToTheOperator()
    {
        var defaults = Parse((await HelmRender.ObjectsAsync("ops", "ops")).Single("Deployment")).Certificates!;
        var shorter = Parse((await HelmRender.ObjectsAsync("ops", "ops", "certificates: {validity: 10d, renewBefore: 48h}")).Single("Deployment")).Certificates!;

        Assert.Equal(FlumeK8s.Operator.Certificates.CertificatePolicy.Default, defaults);
        Assert.Equal((TimeSpan.FromDays(10), TimeSpan.FromHours(48)), (shorter.Validity, shorter.RenewBefore));
    }

    private static OperatorArguments Parse(JsonObject deployment)
    {
        var parsed = Cli.OperatorArguments.Parse(deployment.OperatorArguments(), out var error);
        Assert.True(parsed is not null, $"the operator rejects its arguments: {error}");
        return parsed;
    }
}
