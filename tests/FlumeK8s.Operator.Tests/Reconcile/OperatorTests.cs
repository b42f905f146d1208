using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>
/// The operator process, driven through kubectl as a user would, against a real API server and
/// controller-manager, with only its own service account's rights.
/// </summary>
[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OperatorTests(KubeControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private OperatorScenario _scenario = null!;

    private KubeControlPlane Plane => fixture.ControlPlane;

    public async Task InitializeAsync() => _scenario = await OperatorScenario.StartAsync(Plane, "t", Timeout);

    public Task DisposeAsync() => _scenario.StopAsync(output);

    [Fact]
    public async Task MeituanExample_AppliedWithKubectl_BecomesWorkloadsServicesAndConfig()
    {
        await _scenario.ApplyMeituanExampleAsync();

        var config = await _scenario.WaitForAsync(ResourceKind.ConfigMap, "app-agents-config");
        Assert.Contains($"dns:///collectors-headless.{_scenario.Namespace}.svc.cluster.local:4141", config["data"]!.ToJsonString());
        var collectors = await _scenario.WaitForAsync(ResourceKind.StatefulSet, "collectors");
        Assert.Equal(2, collectors["spec"]!["replicas"]!.GetValue<int>());
        Assert.NotEmpty(collectors["spec"]!["volumeClaimTemplates"]!.AsArray());
        Assert.Equal("CollectorTier", collectors["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        await _scenario.WaitForAsync(ResourceKind.Service, "collectors-headless");
        await _scenario.WaitForAsync(ResourceKind.Service, "collectors");
        await _scenario.WaitForAsync(ResourceKind.DaemonSet, "app-agents");
        await _scenario.WaitForAsync(ResourceKind.StatefulSet, "stores");

        var status = await _scenario.WaitForConditionAsync("collectortiers", "collectors", "ConfigValid", "True");
        Assert.Equal(64, status["configHash"]!.GetValue<string>().Length);
        var events = Plane.Kubectl("get", "events", "-n", _scenario.Namespace, "--field-selector", "involvedObject.name=collectors", "-o", "json");
        Assert.Contains("ConfigApplied", events.Stdout);
    }

    [Fact]
    public async Task KubectlScale_StatefulSetFollows_AndReadyPodsMakeTheTierReady()
    {
        await _scenario.ApplyMeituanExampleAsync();
        await _scenario.WaitForAsync(ResourceKind.StatefulSet, "collectors");

        _scenario.Kubectl("scale", "-n", _scenario.Namespace, "collectortier/collectors", "--replicas=3");
        await Eventually.TrueAsync(() => Replicas("collectors") == 3, "the StatefulSet to follow the scale", Timeout);

        // No kubelet here: play its part and mark each pod the StatefulSet controller creates ready.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await _scenario.WaitForConditionAsync("collectortiers", "collectors", "ConfigValid", "True"))["readyReplicas"]?.GetValue<int>() != 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the tier never counted 3 ready replicas");
            await MarkPodsReadyAsync("collectors");
            await Task.Delay(500);
        }
        await _scenario.WaitForConditionAsync("collectortiers", "collectors", "Ready", "True");
    }

    [Fact]
    public async Task InvalidFlow_ConfigValidFalseWithTheValidatorsMessage_AndNoWorkload()
    {
        var manifest = Path.Combine(Plane.WorkDirectory, $"{_scenario.Namespace}-invalid.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: flumek8s.io/v1alpha1
            kind: CollectorTier
            metadata:
              name: broken
            spec:
              replicas: 1
              flow:
                channels:
                - name: c1
                  type: memory
                  properties:
                    capacity: "lots"
                sinks:
                - name: k1
                  type: logger
                  channel: c1
            """);
        _scenario.Kubectl("apply", "-n", _scenario.Namespace, "-f", manifest);
        var status = await _scenario.WaitForConditionAsync("collectortiers", "broken", "ConfigValid", "False");
        var message = status["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "ConfigValid")!["message"]!.GetValue<string>();
        Assert.Contains("capacity", message);
        Assert.Contains("'lots' is not a whole number", message);
        Assert.Null(await _scenario.Client.GetAsync(ResourceKind.StatefulSet, _scenario.Namespace, "broken", default));
        Assert.Contains("InvalidFlow", Plane.Kubectl("get", "events", "-n", _scenario.Namespace, "-o", "json").Stdout);
    }

    [Fact]
    public async Task PodTemplateFields_AcceptedByTheApiServerOnTheStatefulSetAndServices_AndAnOperatorLabelRefused()
    {
        var manifest = Path.Combine(Plane.WorkDirectory, $"{_scenario.Namespace}-pod.yaml");
        const string Tier = """
            apiVersion: flumek8s.io/v1alpha1
            kind: CollectorTier
            metadata:
              name: NAME
            spec:
              imagePullSecrets: [{name: registry}]
              priorityClassName: system-cluster-critical
              podLabels: LABELS
              podAnnotations: {example.com/scrape: "true"}
              serviceAnnotations: {example.com/internal: "true"}
              podSecurityContext: {supplementalGroups: [4000]}
              securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}
              affinity:
                nodeAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 10
                    preference: {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}
              volumes:
              - {name: tls, mountPath: /etc/tls, readOnly: true, secret: {secretName: collector-tls, defaultMode: 256}}
              - {name: schemas, mountPath: /etc/schemas, readOnly: true, configMap: {name: schemas, optional: true}}
              - {name: scratch, mountPath: /scratch, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
              flow:
                channels: [{name: c1, type: memory}]
                sinks: [{name: k1, type: logger, channel: c1}]
            """;
        await File.WriteAllTextAsync(manifest, Tier.Replace("NAME", "dressed").Replace("LABELS", "{team: logs}") + "\n---\n"
            + Tier.Replace("NAME", "relabelled").Replace("LABELS", "{app.kubernetes.io/instance: other}"));
        _scenario.Kubectl("apply", "-n", _scenario.Namespace, "-f", manifest);

        var set = await _scenario.WaitForAsync(ResourceKind.StatefulSet, "dressed");
        var template = set["spec"]!["template"]!;
        var pod = template["spec"]!;
        Assert.Equal("logs", (string?)template["metadata"]!["labels"]!["team"]);
        Assert.Equal("true", (string?)template["metadata"]!["annotations"]!["example.com/scrape"]);
        Assert.Equal("system-cluster-critical", (string?)pod["priorityClassName"]);
        Assert.Equal("registry", (string?)pod["imagePullSecrets"]![0]!["name"]);
        Assert.False((bool)pod["automountServiceAccountToken"]!);
        Assert.Equal("ScheduleAnyway", (string?)pod["topologySpreadConstraints"]![0]!["whenUnsatisfiable"]);
        Assert.Equal(10, (int)pod["affinity"]!["nodeAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["weight"]!);
        Assert.Equal(4000, (int)pod["securityContext"]!["supplementalGroups"]![0]!);
        Assert.Equal("NET_BIND_SERVICE", (string?)pod["containers"]![0]!["securityContext"]!["capabilities"]!["add"]![0]);
        var volumes = pod["volumes"]!.AsArray();
        Assert.Equal("collector-tls", (string?)volumes.Single(v => (string?)v!["name"] == "user-tls")!["secret"]!["secretName"]);
        Assert.Equal("Memory", (string?)volumes.Single(v => (string?)v!["name"] == "user-scratch")!["emptyDir"]!["medium"]);
        foreach (var name in new[] { "dressed", "dressed-headless" })
        {
            Assert.Equal("true", (string?)(await _scenario.WaitForAsync(ResourceKind.Service, name))["metadata"]!["annotations"]!["example.com/internal"]);
        }

        var status = await _scenario.WaitForConditionAsync("collectortiers", "relabelled", "ConfigValid", "False");
        var message = status["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "ConfigValid")!["message"]!.GetValue<string>();
        Assert.Contains("spec.podLabels.app.kubernetes.io/instance", message);
        Assert.Null(await _scenario.Client.GetAsync(ResourceKind.StatefulSet, _scenario.Namespace, "relabelled", default));
    }

    [Fact]
    public async Task SchemaViolation_RejectedByTheApiServer()
    {
        var manifest = Path.Combine(Plane.WorkDirectory, $"{_scenario.Namespace}-schema.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: flumek8s.io/v1alpha1
            kind: CollectorTier
            metadata:
              name: wrong
            spec:
              replicas: -3
            """);
        var result = Plane.Kubectl("apply", "--validate=false", "-n", _scenario.Namespace, "-f", manifest);
        output.WriteLine(result.ToString());
        Assert.False(result.Succeeded);
        Assert.Contains("replicas", result.Stderr);
    }

    [Fact]
    public async Task EditingTheFlow_ChangesTheConfigMapButNotThePodTemplate()
    {
        await _scenario.ApplyMeituanExampleAsync();
        var before = await _scenario.WaitForAsync(ResourceKind.StatefulSet, "collectors");
        var configBefore = (await _scenario.WaitForAsync(ResourceKind.ConfigMap, "collectors-config"))["data"]!.ToJsonString();

        _scenario.Kubectl("patch", "-n", _scenario.Namespace, "collectortier/collectors", "--type=json",
            "-p", """[{"op":"add","path":"/spec/flow/channels/0/properties/keep-alive","value":"7"}]""");
        await Eventually.TrueAsync(() => _scenario.Client.GetAsync(ResourceKind.ConfigMap, _scenario.Namespace, "collectors-config", default).Result!["data"]!.ToJsonString() != configBefore,
            "the ConfigMap to carry the new flow", Timeout);
        var after = await _scenario.Client.GetAsync(ResourceKind.StatefulSet, _scenario.Namespace, "collectors", default);
        Assert.Equal(before["spec"]!["template"]!.ToJsonString(), after!["spec"]!["template"]!.ToJsonString());
        Assert.Equal(before["metadata"]!["generation"]!.GetValue<long>(), after["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task DeletingATier_DrainsItFirst_AndWithDrainOnDeleteFalse_RemovesWhatItOwned()
    {
        await _scenario.ApplyMeituanExampleAsync();
        await _scenario.WaitForAsync(ResourceKind.StatefulSet, "stores");
        await _scenario.WaitForAsync(ResourceKind.ConfigMap, "stores-config");
        await Eventually.TrueAsync(() => _scenario.Tier("storetiers", "stores")?["metadata"]?["finalizers"]?.ToJsonString().Contains("flumek8s.io/drain") == true,
            "the drain finalizer on the tier", Timeout);

        // No kubelet here: the pods never run, so there is no agent to drain and the deletion waits,
        // saying why, until the user lets it go without a drain.
        _scenario.Kubectl("delete", "-n", _scenario.Namespace, "storetier/stores", "--wait=false");
        Assert.Contains("does not answer", (await _scenario.WaitForConditionAsync("storetiers", "stores", "Draining", "True"))["conditions"]!.ToJsonString());
        Assert.NotNull(await _scenario.Client.GetAsync(ResourceKind.StatefulSet, _scenario.Namespace, "stores", default));

        _scenario.Kubectl("patch", "-n", _scenario.Namespace, "storetier/stores", "--type=merge", "-p", """{"spec": {"drainOnDelete": false}}""");
        await Eventually.TrueAsync(() => _scenario.Client.GetAsync(ResourceKind.StatefulSet, _scenario.Namespace, "stores", default).Result is null
                                         && _scenario.Client.GetAsync(ResourceKind.ConfigMap, _scenario.Namespace, "stores-config", default).Result is null,
            "the garbage collector to remove the store tier's objects", Timeout);
    }

    [Fact]
    public async Task DeletedHeadlessServiceAndHandEditedConfigMap_AreRestored()
    {
        await _scenario.ApplyMeituanExampleAsync();
        var service = await _scenario.WaitForAsync(ResourceKind.Service, "collectors-headless");
        var config = (await _scenario.WaitForAsync(ResourceKind.ConfigMap, "collectors-config"))["data"]!.ToJsonString();

        _scenario.Kubectl("delete", "service", "-n", _scenario.Namespace, "collectors-headless");
        _scenario.Kubectl("patch", "configmap", "-n", _scenario.Namespace, "collectors-config", "--type=merge", "-p", """{"data":{"agent.properties":"edited by hand"}}""");

        await Eventually.TrueAsync(() => _scenario.Client.GetAsync(ResourceKind.Service, _scenario.Namespace, "collectors-headless", default).Result is { } restored
                                         && restored["metadata"]!["uid"]!.GetValue<string>() != service["metadata"]!["uid"]!.GetValue<string>(),
            "the headless Service to be recreated", TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => _scenario.Client.GetAsync(ResourceKind.ConfigMap, _scenario.Namespace, "collectors-config", default).Result!["data"]!.ToJsonString() == config,
            "the ConfigMap's rendered flow to be put back", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AgentTierSwitchedFromDaemonSetToDeployment_TheDaemonSetIsDeleted()
    {
        await _scenario.ApplyMeituanExampleAsync();
        await _scenario.WaitForAsync(ResourceKind.DaemonSet, "app-agents");

        _scenario.Kubectl("patch", "-n", _scenario.Namespace, "agenttier/app-agents", "--type=merge", "-p", """{"spec":{"mode":"Deployment","replicas":2}}""");

        var deployment = await _scenario.WaitForAsync(ResourceKind.Deployment, "app-agents");
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
        await Eventually.TrueAsync(() => _scenario.Client.GetAsync(ResourceKind.DaemonSet, _scenario.Namespace, "app-agents", default).Result is null,
            "the DaemonSet to be deleted", Timeout);
        Assert.Contains("Pruned", Plane.Kubectl("get", "events", "-n", _scenario.Namespace, "--field-selector", "involvedObject.name=app-agents", "-o", "json").Stdout);
    }

    [Fact]
    public async Task StorageSizeChange_IsAConditionSayingWhatToDo_AndTheTierKeepsReconciling()
    {
        await _scenario.ApplyMeituanExampleAsync();
        await _scenario.WaitForConditionAsync("collectortiers", "collectors", "ConfigValid", "True");
        var size = ClaimSize(await _scenario.WaitForAsync(ResourceKind.StatefulSet, "collectors"));

        _scenario.Kubectl("patch", "-n", _scenario.Namespace, "collectortier/collectors", "--type=merge", "-p", """{"spec":{"storage":{"size":"100Gi"}}}""");

        var status = await _scenario.WaitForConditionAsync("collectortiers", "collectors", "StorageUpToDate", "False");
        var storage = status["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "StorageUpToDate")!;
        Assert.Contains("--cascade=orphan", storage["message"]!.GetValue<string>());
        Assert.Equal("False", status["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Degraded")!["status"]!.GetValue<string>());
        // The claim template stays as it was (it cannot change); the rest of the tier still follows its spec.
        Assert.Equal(size, ClaimSize(await _scenario.WaitForAsync(ResourceKind.StatefulSet, "collectors")));
        _scenario.Kubectl("scale", "-n", _scenario.Namespace, "collectortier/collectors", "--replicas=3");
        await Eventually.TrueAsync(() => Replicas("collectors") == 3, "the StatefulSet to follow the scale", Timeout);
        Assert.DoesNotContain(_scenario.Operator.Output, line => line.Contains("reconcile failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyRejectedByTheApiServer_DegradedWithItsMessageAndAWarningEvent_OtherTiersUnaffected()
    {
        // A quota of one StatefulSet in the namespace: the first collector tier gets it, the
        // operator's apply of the second one's StatefulSet is refused by the API server.
        var quota = Path.Combine(Plane.WorkDirectory, $"{_scenario.Namespace}-quota.yaml");
        await File.WriteAllTextAsync(quota, """
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: one-statefulset
            spec:
              hard:
                count/statefulsets.apps: "1"
            """);
        _scenario.Kubectl("apply", "-n", _scenario.Namespace, "-f", quota);
        await Eventually.TrueAsync(() => _scenario.Client.GetAsync(ResourceKind.ResourceQuota, _scenario.Namespace, "one-statefulset", default).Result?["status"]?["hard"] is not null,
            "the quota to be counted", Timeout);
        await TestTiers.ApplyCollectorAsync(_scenario.Client, _scenario.Namespace, "first", "100");
        await _scenario.WaitForAsync(ResourceKind.StatefulSet, "first");
        await TestTiers.ApplyCollectorAsync(_scenario.Client, _scenario.Namespace, "second", "100");

        var status = await _scenario.WaitForConditionAsync("collectortiers", "second", "Degraded", "True");
        var degraded = status["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Degraded")!["message"]!.GetValue<string>();
        Assert.Contains("the API server refused", degraded);
        Assert.Contains("exceeded quota", degraded);
        Assert.Contains("Warning", Plane.Kubectl("get", "events", "-n", _scenario.Namespace, "--field-selector", "involvedObject.name=second", "-o", "json").Stdout);
        var first = await _scenario.WaitForConditionAsync("collectortiers", "first", "Degraded", "False");
        Assert.Contains(first["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "ConfigValid" && c["status"]!.GetValue<string>() == "True");
        Assert.False(_scenario.Operator.HasExited);

        // The metrics endpoint counts reconciles and the failed ones by kind; the probes answer.
        var (code, metrics) = await _scenario.Operator.GetAsync("/metrics");
        Assert.Equal(200, code);
        Assert.Matches(@"flumek8s_operator_reconcile_total\{kind=""CollectorTier""\} [1-9]", metrics);
        Assert.Matches(@"flumek8s_operator_reconcile_errors_total\{kind=""CollectorTier""\} [1-9]", metrics);
        Assert.Contains("flumek8s_operator_reconcile_duration_seconds_bucket{kind=\"CollectorTier\",le=\"+Inf\"}", metrics);
        Assert.Contains("flumek8s_operator_leader 1", metrics);
        Assert.Equal(200, (await _scenario.Operator.GetAsync("/healthz")).Status);
        Assert.Equal(200, (await _scenario.Operator.GetAsync("/readyz")).Status);
    }

    [Fact]
    public async Task PodStartedButNotReady_AgentUnreachable_DegradedSaysTheReasonIsUnknown_WithAWarningOnThePod()
    {
        await TestTiers.ApplyCollectorAsync(_scenario.Client, _scenario.Namespace, "probed", "100");
        await _scenario.WaitForAsync(ResourceKind.Pod, "probed-0");

        // No kubelet here: report what one would for a pod whose agent started (its startup probe
        // passed) but is not ready. The API server cannot reach the address to proxy /readyz to it.
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        await _scenario.Client.ApplyStatusAsync(ResourceKind.Pod, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "probed-0", ["namespace"] = _scenario.Namespace },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = "192.0.2.1",
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "192.0.2.1" }),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["lastTransitionTime"] = now }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "agent",
                    ["ready"] = false,
                    ["started"] = true,
                    ["restartCount"] = 0,
                    ["image"] = "ghcr.io/flumek8s/flumek8s:test",
                    ["imageID"] = "",
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                }),
            },
        }, "test-kubelet", default);

        var status = await _scenario.WaitForConditionAsync("collectortiers", "probed", "Degraded", "True");
        var degraded = status["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Degraded")!;
        output.WriteLine($"Degraded: {degraded["message"]}");
        Assert.Equal("PodsNotReady", degraded["reason"]!.GetValue<string>());
        Assert.StartsWith("1 pod not ready: probed-0: reason unknown: its /readyz could not be read (", degraded["message"]!.GetValue<string>());
        await Eventually.TrueAsync(() => Plane.Kubectl("get", "events", "-n", _scenario.Namespace, "--field-selector", "involvedObject.name=probed-0", "-o", "json").Stdout
            .Contains("AgentNotReady", StringComparison.Ordinal), "a Warning Event on the pod", Timeout);
        Assert.False(_scenario.Operator.HasExited);
    }

    private static string ClaimSize(JsonObject statefulSet) =>
        statefulSet["spec"]!["volumeClaimTemplates"]![0]!["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>();

    private int Replicas(string statefulSet) =>
        _scenario.Client.GetAsync(ResourceKind.StatefulSet, _scenario.Namespace, statefulSet, default).Result?["spec"]?["replicas"]?.GetValue<int>() ?? -1;

    private async Task MarkPodsReadyAsync(string tier)
    {
        var pods = await _scenario.Client.ListAsync(ResourceKind.Pod, _scenario.Namespace, $"app.kubernetes.io/instance={tier}", default);
        foreach (var pod in pods.Items)
        {
            var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            await _scenario.Client.ApplyStatusAsync(ResourceKind.Pod, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["name"] = KubeClient.Name(pod), ["namespace"] = _scenario.Namespace },
                ["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = now }),
                },
            }, "test-kubelet", default);
        }
    }
}
