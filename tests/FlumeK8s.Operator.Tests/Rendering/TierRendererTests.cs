using System.Text.Json.Nodes;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Runtime.Configuration;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

public sealed class TierRendererTests
{
    [Fact]
    public void Render_AgentTierDaemonSet_ConfigMapAndDaemonSetWithStateOnTheNode()
    {
        var result = Render(Agent.Replace("type: memory", "type: file"));

        Assert.Equal(["ConfigMap", "DaemonSet"], result.Objects.Select(o => (string)o["kind"]!));
        var daemonSet = Object(result, "DaemonSet", "agents");
        Assert.Equal("apps/v1", (string?)daemonSet["apiVersion"]);
        var state = Volume(daemonSet, "state");
        Assert.Equal("/var/lib/flumek8s/logs/agents", (string?)state["hostPath"]!["path"]);
        Assert.Equal("/var/lib/flumek8s", (string?)Mount(daemonSet, "state")["mountPath"]);
        Assert.Contains("agent.channels.c1.checkpointDir = /var/lib/flumek8s/c1/checkpoint\n", Config(result));
        Assert.Contains("agent.channels.c1.dataDirs = /var/lib/flumek8s/c1/data\n", Config(result));
        Assert.Null(Container(daemonSet)["lifecycle"]);
    }

    [Fact]
    public void Render_JdbcChannelOnSqlite_FileOnTheVolume_PostgresLeftAlone()
    {
        Assert.Contains("agent.channels.c1.driver.url = /var/lib/flumek8s/c1/channel.db\n", Config(Render(Agent.Replace("type: memory", "type: jdbc"))));
        var postgres = Config(Render(Agent.Replace("{name: c1, type: memory}",
            "{name: c1, type: jdbc, properties: {db.type: postgresql, driver.url: \"Host=db;Database=flume\"}}")));
        Assert.Contains("agent.channels.c1.driver.url = Host=db;Database=flume\n", postgres);
        Assert.DoesNotContain("/var/lib/flumek8s/c1", postgres);
    }

    [Fact]
    public void Render_AgentTierDeployment_DeploymentWithReplicasAndEmptyDirState()
    {
        var result = Render(Agent.Replace("spec:\n", "spec:\n  mode: Deployment\n  replicas: 4\n"));

        Assert.Equal(["ConfigMap", "Deployment"], result.Objects.Select(o => (string)o["kind"]!));
        var deployment = Object(result, "Deployment", "agents");
        Assert.Equal(4, (int)deployment["spec"]!["replicas"]!);
        Assert.NotNull(Volume(deployment, "state")["emptyDir"]);
    }

    [Fact]
    public void Render_CollectorTier_StatefulSetWithClaimsServicesAndBudget()
    {
        var result = Render(Collector);

        Assert.Equal(["ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget"], result.Objects.Select(o => (string)o["kind"]!));
        var set = Object(result, "StatefulSet", "collectors");
        Assert.Equal(3, (int)set["spec"]!["replicas"]!);
        Assert.Equal("collectors-headless", (string?)set["spec"]!["serviceName"]);
        var claim = set["spec"]!["volumeClaimTemplates"]!.AsArray().Single()!;
        Assert.Equal("state", (string?)claim["metadata"]!["name"]);
        Assert.Equal("20Gi", (string?)claim["spec"]!["resources"]!["requests"]!["storage"]);
        Assert.Equal("fast", (string?)claim["spec"]!["storageClassName"]);
        Assert.Equal("/var/lib/flumek8s", (string?)Mount(set, "state")["mountPath"]);
        Assert.DoesNotContain(PodSpec(set)["volumes"]!.AsArray(), v => (string?)v!["name"] == "state");

        var headless = Object(result, "Service", "collectors-headless");
        Assert.Equal("None", (string?)headless["spec"]!["clusterIP"]);
        Assert.False((bool)headless["spec"]!["publishNotReadyAddresses"]!);
        var service = Object(result, "Service", "collectors");
        Assert.Equal("ClusterIP", (string?)service["spec"]!["type"]);
        foreach (var svc in new[] { headless, service })
        {
            Assert.Equal(4141, (int)svc["spec"]!["ports"]![0]!["port"]!);
            Assert.True(JsonNode.DeepEquals(set["spec"]!["selector"]!["matchLabels"], svc["spec"]!["selector"]));
        }
        var budget = Object(result, "PodDisruptionBudget", "collectors");
        Assert.Equal("policy/v1", (string?)budget["apiVersion"]);
        Assert.Equal(1, (int)budget["spec"]!["maxUnavailable"]!);
        Assert.True(JsonNode.DeepEquals(set["spec"]!["selector"], budget["spec"]!["selector"]));
    }

    [Fact]
    public void Render_StoreTier_SameObjectsAsACollectorAndDefaultClaimSize()
    {
        var result = Render(Collector.Replace("CollectorTier", "StoreTier").Replace("  replicas: 3\n  storage: {size: 20Gi, storageClassName: fast}\n", ""));

        Assert.Equal(["ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget"], result.Objects.Select(o => (string)o["kind"]!));
        var set = Object(result, "StatefulSet");
        Assert.Equal(1, (int)set["spec"]!["replicas"]!);
        var claim = set["spec"]!["volumeClaimTemplates"]![0]!["spec"]!;
        Assert.Equal("10Gi", (string?)claim["resources"]!["requests"]!["storage"]);
        Assert.Null(claim["storageClassName"]);
        Assert.Equal("StoreTier", (string?)set["metadata"]!["labels"]!["flumek8s.io/tier-kind"]);
    }

    [Fact]
    public void Render_TierWithoutUid_ObjectsCarryNoOwnerReference()
    {
        // A tier rendered from a file has no uid; the API server refuses an owner reference without one.
        var result = Render(Collector.Replace(", uid: 7d1c1d7e-0000-4000-8000-000000000001", ""));

        Assert.All(result.Objects, o => Assert.Null(o["metadata"]!["ownerReferences"]));
    }

    [Fact]
    public void Render_EveryObject_OwnedByItsTierInItsNamespaceWithTheTierLabels()
    {
        var result = Render(Collector);

        foreach (var item in result.Objects)
        {
            var metadata = item["metadata"]!;
            Assert.Equal("logs", (string?)metadata["namespace"]);
            var owner = metadata["ownerReferences"]!.AsArray().Single()!;
            Assert.Equal("flumek8s.io/v1alpha1", (string?)owner["apiVersion"]);
            Assert.Equal("CollectorTier", (string?)owner["kind"]);
            Assert.Equal("collectors", (string?)owner["name"]);
            Assert.Equal("7d1c1d7e-0000-4000-8000-000000000001", (string?)owner["uid"]);
            Assert.True((bool)owner["controller"]!);
            Assert.True((bool)owner["blockOwnerDeletion"]!);
            Assert.Equal("flumek8s", (string?)metadata["labels"]!["app.kubernetes.io/name"]);
            Assert.Equal("collectors", (string?)metadata["labels"]!["app.kubernetes.io/instance"]);
            Assert.Equal("CollectorTier", (string?)metadata["labels"]!["flumek8s.io/tier-kind"]);
        }
        var template = Object(result, "StatefulSet")["spec"]!["template"]!["metadata"]!["labels"]!;
        Assert.Equal("collectors", (string?)template["app.kubernetes.io/instance"]);
        Assert.Equal("app.kubernetes.io/instance=collectors,app.kubernetes.io/name=flumek8s,flumek8s.io/tier-kind=CollectorTier",
            TierNames.SelectorString(result.Tier));
    }

    [Fact]
    public void Render_Container_RunsTheAgentOnTheMountedConfigWithProbesAndAGraceAboveTheDrain()
    {
        var result = Render(Collector.Replace("  replicas: 3\n", "  replicas: 3\n  shutdownGraceSeconds: 60\n  image: registry.example/flumek8s:1.2\n"));
        var set = Object(result, "StatefulSet");
        var container = Container(set);

        Assert.Equal("registry.example/flumek8s:1.2", (string?)container["image"]);
        Assert.Equal(["-n", "agent", "-f", "/etc/flumek8s/agent.properties", "--reload-interval", "5", "--shutdown-grace", "60"],
            container["args"]!.AsArray().Select(a => (string)a!));
        var config = Mount(set, "config");
        Assert.Equal("/etc/flumek8s", (string?)config["mountPath"]);
        Assert.Null(config["subPath"]); // a subPath mount would never see the ConfigMap change
        Assert.Equal("collectors-config", (string?)Volume(set, "config")["configMap"]!["name"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)container["startupProbe"]!["httpGet"]!["path"]);
        var admin = container["ports"]!.AsArray().Single(p => (string?)p!["name"] == "admin")!;
        Assert.Equal(41414, (int)admin["containerPort"]!);
        Assert.Equal("admin", (string?)container["livenessProbe"]!["httpGet"]!["port"]);
        Assert.Equal(["sleep", "5"], container["lifecycle"]!["preStop"]!["exec"]!["command"]!.AsArray().Select(a => (string)a!));
        Assert.True((int)PodSpec(set)["terminationGracePeriodSeconds"]! > 60 + 5);
        Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "POD_NAME");
    }

    [Fact]
    public void Render_AgentForwardingToACollector_GrpcSinkPointsAtTheCollectorsHeadlessService()
    {
        var config = Config(Render(Agent));

        Assert.Contains("agent.sinks = forward-c1\n", config);
        Assert.Contains("agent.sinks.forward-c1.type = grpc\n", config);
        Assert.Contains("agent.sinks.forward-c1.channel = c1\n", config);
        Assert.Contains("agent.sinks.forward-c1.hosts = dns:///collectors-headless.logs.svc.cluster.local:4141\n", config);
    }

    [Fact]
    public void Render_ClusterDomainOption_UsedInTheHopTarget()
    {
        var result = TierRenderer.Render(Tier(Agent), new RenderOptions { ClusterDomain = "corp.internal" });

        Assert.Contains("hosts = dns:///collectors-headless.logs.svc.corp.internal:4141\n", Config(result));
    }

    [Fact]
    public void Render_CollectorForwardingToAStore_HopSourceOn4141AndSinksForUntakenChannelsOnly()
    {
        var config = Config(Render(Collector.Replace(
            "{name: disk, type: file, properties: {transactionCapacity: \"1000\"}}",
            "{name: disk, type: file, properties: {transactionCapacity: \"1000\"}}\n    - {name: fwd, type: memory}")
            + "\n  forwardTo: {name: stores, properties: {compression-type: gzip}}"
            + "\n  hopSource: {properties: {maxMessageBytes: \"1048576\"}}"));

        Assert.Contains("agent.sources = hop\n", config);
        Assert.Contains("agent.sources.hop.type = grpc\n", config);
        Assert.Contains("agent.sources.hop.port = 4141\n", config);
        Assert.Contains("agent.sources.hop.channels = disk fwd\n", config);
        Assert.Contains("agent.sources.hop.maxMessageBytes = 1048576\n", config);
        Assert.Contains("agent.sinks = out forward-fwd\n", config);
        Assert.Contains("agent.sinks.forward-fwd.hosts = dns:///stores-headless.logs.svc.cluster.local:4141\n", config);
        Assert.Contains("agent.sinks.forward-fwd.compression-type = gzip\n", config);
    }

    [Fact]
    public void Render_FlowChange_ChangesTheConfigHashButNotThePodTemplate()
    {
        var before = Render(Collector);
        var after = Render(Collector.Replace("transactionCapacity: \"1000\"", "transactionCapacity: \"2000\""));

        Assert.NotEqual(before.Config!.Hash, after.Config!.Hash);
        Assert.Equal(before.Config.Hash, Annotation(before));
        Assert.Equal(after.Config.Hash, Annotation(after));
        Assert.Matches("^[0-9a-f]{64}$", after.Config.Hash);
        Assert.True(JsonNode.DeepEquals(Object(before, "StatefulSet")["spec"], Object(after, "StatefulSet")["spec"]));
        Assert.DoesNotContain(after.Config.Hash, Object(after, "StatefulSet").ToJsonString());

        static string? Annotation(TierRenderResult r) => (string?)Object(r, "ConfigMap")["metadata"]!["annotations"]!["flumek8s.io/config-hash"];
    }

    [Fact]
    public void Render_InvalidFlow_ValidatorProblemsWithKeyAndLineAndNoObjects()
    {
        var result = TierRenderer.Render(Tier(Collector
            .Replace("type: logger", "type: loger")
            .Replace("transactionCapacity: \"1000\"", "transactionCapacity: \"lots\"")), new RenderOptions());

        Assert.False(result.IsValid);
        Assert.Empty(result.Objects);
        Assert.Null(result.Config);
        var type = Assert.Single(result.Errors, e => e.Key == "agent.sinks.out.type");
        Assert.Contains("unknown sink type 'loger'", type.Message);
        Assert.True(type.Line > 0);
        var capacity = Assert.Single(result.Errors, e => e.Key == "agent.channels.disk.transactionCapacity");
        Assert.True(capacity.Line > 0);
        var condition = ConfigValidCondition.From(result);
        Assert.Equal("False", condition.Status);
        Assert.Contains($"line {type.Line}: agent.sinks.out.type", condition.Message);
    }

    [Fact]
    public void Render_PluginClasses_AcceptedWithAWarningAndTheirPropertiesLeftToTheAgent()
    {
        var result = Render(Collector.Replace("{name: out, type: logger, channel: disk}",
            "{name: out, type: \"Acme.Logs.JsonLinesSink, Acme.Logs\", channel: disk, properties: {directory: /data/out, pretty: \"yes\"}}"));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var warning = Assert.Single(result.Warnings, w => w.Key == "agent.sinks.out.type");
        Assert.Contains("'Acme.Logs.JsonLinesSink, Acme.Logs' is no built-in sink: taken to be a plugin class", warning.Message);
        Assert.DoesNotContain(result.Warnings, w => w.Key.StartsWith("agent.sinks.out.directory", StringComparison.Ordinal));
        Assert.Contains("agent.sinks.out.type = Acme.Logs.JsonLinesSink, Acme.Logs\n", Config(result));
    }

    [Theory]
    [InlineData("org.apache.flume.sink.elasticsearch.ElasticSearchSink")]
    [InlineData("loger")]
    public void Render_UnknownFlumeClassOrAlias_StillRefused(string type)
    {
        var result = TierRenderer.Render(Tier(Collector.Replace("type: logger", $"type: {type}")), new RenderOptions());

        Assert.Contains(result.Errors, e => e.Key == "agent.sinks.out.type" && e.Message.Contains($"unknown sink type '{type}'"));
    }

    [Fact]
    public void Render_EmptyFlow_SaysSo()
    {
        var result = TierRenderer.Render(Tier("apiVersion: flumek8s.io/v1alpha1\nkind: AgentTier\nmetadata: {name: a}\nspec: {flow: {}}\n"), new RenderOptions());

        Assert.Contains(result.Errors, e => e.Key == "spec.flow" && e.Message.Contains("no sources, channels or sinks"));
    }

    [Fact]
    public void ConfigValidCondition_ValidFlow_TrueWithTheTiersGeneration()
    {
        var result = Render(Collector.Replace("uid: 7d1c1d7e", "generation: 7, uid: 7d1c1d7e"));

        var condition = ConfigValidCondition.From(result);
        Assert.Equal(("True", 7L), (condition.Status, condition.ObservedGeneration));
        Assert.Contains(result.Config!.Hash[..12], condition.Message);
    }

    [Fact]
    public void Render_FlowSettingAFileChannelsDirectories_IsRefused()
    {
        var result = TierRenderer.Render(Tier(Collector.Replace("transactionCapacity: \"1000\"", "transactionCapacity: \"1000\", dataDirs: /tmp/d")), new RenderOptions());

        Assert.Contains(result.Errors, e => e.Key == "agent.channels.disk.dataDirs" && e.Message.Contains("set by the operator"));
        Assert.Empty(result.Objects);
    }

    [Fact]
    public void Render_ReservedHopPropertiesAndNames_AreRefused()
    {
        var result = TierRenderer.Render(Tier(Agent.Replace("forwardTo: {name: collectors}", "forwardTo: {name: collectors, properties: {hosts: elsewhere:4141}}")), new RenderOptions());

        Assert.Contains(result.Errors, e => e.Key == "spec.forwardTo.properties.hosts");
        var hop = TierRenderer.Render(Tier(Collector.Replace("sinks:", "sources:\n    - {name: hop, type: seq, channels: [disk]}\n    sinks:")), new RenderOptions());
        Assert.Contains(hop.Errors, e => e.Key == "spec.flow.sources" && e.Message.Contains("'hop' is reserved"));
    }

    [Fact]
    public void Render_RawProperties_JoinTheStructuredFlow()
    {
        var config = Config(Render(Collector + "\n    properties: |\n      agent.sinks = raw\n      agent.sinks.raw.type = null\n      agent.sinks.raw.channel = disk\n"));

        Assert.Contains("agent.sinks = out raw\n", config);
        Assert.Contains("agent.sinks.raw.type = null\n", config);
    }

    [Fact]
    public void Render_RawPropertiesOfAnotherAgent_AreReportedWithTheirLine()
    {
        var tier = Tier(Collector + "\n    properties: \"\\n\\na1.sinks = k1\\n\"\n");
        var result = TierRenderer.Render(tier, new RenderOptions());

        var problem = Assert.Single(result.Errors);
        Assert.Equal("spec.flow.properties line 3", problem.Key);
        Assert.Contains("'a1.sinks' is not a key of agent 'agent'", problem.Message);
    }

    [Fact]
    public void Render_ValuesWithBackslashes_ReadBackByTheAgentAsWritten()
    {
        var tier = Tier("""
            apiVersion: flumek8s.io/v1alpha1
            kind: AgentTier
            metadata: {name: tail}
            spec:
              flow:
                sources:
                - name: files
                  type: taildir
                  channels: [c1]
                  properties: {filegroups: g, filegroups.g: '/var/log/app/.*\.log', "headers.g.a b": "x:y=z"}
                channels: [{name: c1, type: memory}]
                sinks: [{name: k1, type: "null", channel: c1}]
            """);
        var result = TierRenderer.Render(tier, new RenderOptions());
        Assert.True(result.IsValid, string.Join("\n", result.Errors));

        var problems = new ConfigProblems();
        var entries = PropertiesReader.Read(result.Config!.Text, problems).ToDictionary(e => e.Key, e => e.Value);
        Assert.Empty(problems.Errors);
        Assert.Equal(@"/var/log/app/.*\.log", entries["agent.sources.files.filegroups.g"]);
        Assert.Equal("x:y=z", entries["agent.sources.files.headers.g.a b"]);
        Assert.Equal("/var/lib/flumek8s/files/taildir_position.json", entries["agent.sources.files.positionFile"]);
        Assert.Equal("default", (string?)result.Objects[0]["metadata"]!["namespace"]);
    }

    [Fact]
    public void Render_EnvironmentReferences_ResolveOnlyForVariablesThePodDefines()
    {
        const string tier = """
            apiVersion: flumek8s.io/v1alpha1
            kind: StoreTier
            metadata: {name: out}
            spec:
              env:
              - {name: TOPIC, value: logs}
              - name: SECRET
                valueFrom: {secretKeyRef: {name: s, key: k}}
              flow:
                channels: [{name: c1, type: memory}]
                sinks:
                - {name: k1, type: file_roll, channel: c1, properties: {sink.directory: "/out/${env:POD_NAME}/${env:TOPIC}/${env:SECRET}/${env:MISSING}"}}
            """;
        var result = TierRenderer.Render(Tier(tier), new RenderOptions());

        var problem = Assert.Single(result.Errors);
        Assert.Equal("agent.sinks.k1.sink.directory", problem.Key);
        Assert.Contains("${env:MISSING}", problem.Message);
        Assert.True(TierRenderer.Render(Tier(tier.Replace("/${env:MISSING}", "")), new RenderOptions()).IsValid);
        var env = Container(Object(TierRenderer.Render(Tier(tier.Replace("/${env:MISSING}", "")), new RenderOptions()), "StatefulSet"))["env"]!.AsArray();
        Assert.Equal(["POD_NAME", "POD_NAMESPACE", "NODE_NAME", "TOPIC", "SECRET"], env.Select(e => (string)e!["name"]!));
        Assert.Equal("k", (string?)env[4]!["valueFrom"]!["secretKeyRef"]!["key"]);
    }

    [Fact]
    public void RenderAll_ForwardToATierOfTheWrongKind_IsAnErrorAndAMissingOneAWarning()
    {
        var agent = Tier(Agent);
        var store = Tier(Collector.Replace("CollectorTier", "StoreTier"));

        var wrong = Assert.Single(TierRenderer.RenderAll([agent, store], new RenderOptions()), r => r.Tier == agent);
        Assert.Contains(wrong.Errors, e => e.Key == "spec.forwardTo" && e.Message.Contains("is a StoreTier"));
        Assert.Empty(wrong.Objects);

        var alone = Assert.Single(TierRenderer.RenderAll([agent], new RenderOptions()));
        Assert.True(alone.IsValid);
        Assert.Contains(alone.Warnings, w => w.Key == "spec.forwardTo");
    }

    private static JsonObject Volume(JsonObject workload, string name) =>
        PodSpec(workload)["volumes"]!.AsArray().Single(v => (string?)v!["name"] == name)!.AsObject();

    private static JsonObject Mount(JsonObject workload, string name) =>
        Container(workload)["volumeMounts"]!.AsArray().Single(v => (string?)v!["name"] == name)!.AsObject();
}
