using System.Text.Json.Nodes;
using FlumeK8s.Operator.Rendering;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>The tier's pod fields as they reach the workload's pod template and the Services.</summary>
public sealed class PodTemplateTests
{
    private static string WithSpec(string tier, string lines) => tier.Replace("spec:\n", "spec:\n" + lines);

    [Fact]
    public void Render_Scheduling_AffinityPriorityPullSecretsAndTolerationsPassedThrough()
    {
        var result = Render(WithSpec(Collector, """
              priorityClassName: logging-critical
              imagePullSecrets: [{name: registry}]
              tolerations: [{key: dedicated, operator: Equal, value: logs, effect: NoSchedule}]
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchExpressions: [{key: disk, operator: In, values: [ssd]}]

            """));

        var pod = PodSpec(Object(result, "StatefulSet"));
        Assert.Equal("logging-critical", (string?)pod["priorityClassName"]);
        Assert.Equal("registry", (string?)pod["imagePullSecrets"]![0]!["name"]);
        Assert.Equal("dedicated", (string?)pod["tolerations"]![0]!["key"]);
        Assert.Equal("ssd", (string?)pod["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!
            ["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!["values"]![0]);
    }

    [Fact]
    public void Render_CollectorsAndStores_SpreadAcrossNodesByDefaultWithoutBlockingASingleNode()
    {
        foreach (var yaml in new[] { Collector, Collector.Replace("CollectorTier", "StoreTier") })
        {
            var set = Object(Render(yaml), "StatefulSet");

            var spread = Assert.Single(PodSpec(set)["topologySpreadConstraints"]!.AsArray())!;
            Assert.Equal("kubernetes.io/hostname", (string?)spread["topologyKey"]);
            Assert.Equal("ScheduleAnyway", (string?)spread["whenUnsatisfiable"]);
            Assert.Equal(1, (int)spread["maxSkew"]!);
            Assert.True(JsonNode.DeepEquals(set["spec"]!["selector"], spread["labelSelector"]));
        }
        Assert.Null(PodSpec(Object(Render(Agent), "DaemonSet"))["topologySpreadConstraints"]);
    }

    [Fact]
    public void Render_OwnSpreadConstraints_ReplaceTheDefault()
    {
        var set = Object(Render(WithSpec(Collector, """
              topologySpreadConstraints:
              - {maxSkew: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app.kubernetes.io/instance: collectors}}}

            """)), "StatefulSet");

        var spread = Assert.Single(PodSpec(set)["topologySpreadConstraints"]!.AsArray())!;
        Assert.Equal("topology.kubernetes.io/zone", (string?)spread["topologyKey"]);
        Assert.Equal("DoNotSchedule", (string?)spread["whenUnsatisfiable"]);
    }

    [Fact]
    public void Render_PodLabelsAndAnnotations_AddedBesideTheOperatorsLabels()
    {
        var result = Render(WithSpec(Collector, """
              podLabels: {team: logs}
              podAnnotations: {prometheus.io/scrape: "true"}
              serviceAnnotations: {service.beta.kubernetes.io/aws-load-balancer-internal: "true"}

            """));

        var set = Object(result, "StatefulSet");
        var metadata = set["spec"]!["template"]!["metadata"]!;
        Assert.Equal("logs", (string?)metadata["labels"]!["team"]);
        Assert.Equal("collectors", (string?)metadata["labels"]![TierNames.InstanceLabel]);
        Assert.Equal("true", (string?)metadata["annotations"]!["prometheus.io/scrape"]);
        foreach (var name in new[] { "collectors", "collectors-headless" })
        {
            Assert.Equal("true", (string?)Object(result, "Service", name)["metadata"]!["annotations"]!["service.beta.kubernetes.io/aws-load-balancer-internal"]);
        }
        Assert.Null(set["metadata"]!["annotations"]);
        Assert.Null(set["metadata"]!["labels"]!["team"]);
    }

    [Theory]
    [InlineData(TierNames.InstanceLabel)]
    [InlineData(TierNames.TierKindLabel)]
    [InlineData(TierNames.ManagedByLabel)]
    public void Render_PodLabelOfTheOperators_RefusedNamingTheLabel(string label)
    {
        var result = TierRenderer.Render(Tier(WithSpec(Collector, $"  podLabels: {{{label}: mine, team: logs}}\n")), new RenderOptions());

        Assert.False(result.IsValid);
        Assert.Empty(result.Objects);
        var problem = Assert.Single(result.Errors);
        Assert.Equal($"spec.podLabels.{label}", problem.Key);
        Assert.Contains("the operator sets this label", problem.Message);
        var condition = ConfigValidCondition.From(result);
        Assert.Equal("False", condition.Status);
        Assert.Contains($"spec.podLabels.{label}", condition.Message);
    }

    [Fact]
    public void Render_ServiceAccountToken_NotMountedUnlessAsked()
    {
        Assert.False((bool)PodSpec(Object(Render(Collector), "StatefulSet"))["automountServiceAccountToken"]!);
        Assert.False((bool)PodSpec(Object(Render(Agent), "DaemonSet"))["automountServiceAccountToken"]!);

        var asked = PodSpec(Object(Render(WithSpec(Agent, "  automountServiceAccountToken: true\n  serviceAccountName: reader\n")), "DaemonSet"));
        Assert.True((bool)asked["automountServiceAccountToken"]!);
        Assert.Equal("reader", (string?)asked["serviceAccountName"]);
    }

    [Fact]
    public void Render_SecurityContexts_MergedOverTheDefaults()
    {
        var set = Object(Render(WithSpec(Collector, """
              podSecurityContext: {runAsUser: 20000, supplementalGroups: [4000]}
              securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}

            """)), "StatefulSet");

        var pod = PodSpec(set)["securityContext"]!;
        Assert.Equal(20000, (int)pod["runAsUser"]!);
        Assert.Equal(4000, (int)pod["supplementalGroups"]![0]!);
        Assert.True((bool)pod["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);
        var container = Container(set)["securityContext"]!;
        Assert.Equal("NET_BIND_SERVICE", (string?)container["capabilities"]!["add"]![0]);
        Assert.Equal("ALL", (string?)container["capabilities"]!["drop"]![0]);
        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
    }

    [Fact]
    public void Render_DaemonSetAgent_RootWithOnlyTheCapabilityToReadLogFiles()
    {
        var daemonSet = Object(Render(Agent), "DaemonSet");

        var pod = PodSpec(daemonSet)["securityContext"]!;
        Assert.Equal(0, (int)pod["runAsUser"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["seccompProfile"]!["type"]);
        var container = Container(daemonSet)["securityContext"]!;
        Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["DAC_READ_SEARCH"], container["capabilities"]!["add"]!.AsArray().Select(c => (string)c!));
        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
    }

    [Fact]
    public void Render_SecretConfigMapAndEmptyDirVolumes_MountedUnderTheirPrefixedNames()
    {
        var set = Object(Render(WithSpec(Collector, """
              volumes:
              - {name: tls, mountPath: /etc/tls, readOnly: true, secret: {secretName: collector-tls, defaultMode: 256}}
              - {name: schemas, mountPath: /etc/schemas, readOnly: true, configMap: {name: avro-schemas, optional: true}}
              - {name: scratch, mountPath: /scratch, emptyDir: {medium: Memory, sizeLimit: 64Mi}}

            """)), "StatefulSet");

        var volumes = PodSpec(set)["volumes"]!.AsArray();
        var tls = volumes.Single(v => (string?)v!["name"] == "user-tls")!;
        Assert.Equal("collector-tls", (string?)tls["secret"]!["secretName"]);
        Assert.Equal(256, (int)tls["secret"]!["defaultMode"]!);
        var schemas = volumes.Single(v => (string?)v!["name"] == "user-schemas")!;
        Assert.Equal("avro-schemas", (string?)schemas["configMap"]!["name"]);
        Assert.True((bool)schemas["configMap"]!["optional"]!);
        var scratch = volumes.Single(v => (string?)v!["name"] == "user-scratch")!;
        Assert.Equal("Memory", (string?)scratch["emptyDir"]!["medium"]);
        Assert.Equal("64Mi", (string?)scratch["emptyDir"]!["sizeLimit"]);
        var mounts = Container(set)["volumeMounts"]!.AsArray();
        Assert.Contains(mounts, m => (string?)m!["name"] == "user-tls" && (string?)m["mountPath"] == "/etc/tls" && (bool)m["readOnly"]!);
        Assert.Contains(mounts, m => (string?)m!["name"] == "user-scratch" && (string?)m["mountPath"] == "/scratch");
    }
}
