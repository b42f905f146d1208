using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>Integration tests: the control plane behaves like a real cluster when driven by kubectl.</summary>
[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class KubeControlPlaneTests(KubeControlPlaneFixture fixture)
{
    // Controllers react within seconds; the margin is for a 2-core machine shared with other work.
    private static readonly TimeSpan ControllerTimeout = TimeSpan.FromSeconds(90);

    private KubeControlPlane Cluster => fixture.ControlPlane;

    [Fact]
    public void Kubectl_CreateConfigMap_ReadsItBack()
    {
        var ns = NewNamespace();

        Succeed("create", "configmap", "settings", "-n", ns, "--from-literal=greeting=hello");

        Assert.Equal("hello", Succeed("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.greeting}"));
    }

    [Fact]
    public void ApplyCrd_StructuralSchemaWithSubresources_ServesScaleAndStatus()
    {
        var ns = NewNamespace();
        InstallWidgetCrd();
        Succeed("apply", "-f", Manifest(WidgetManifests.Widget("w", ns, "1", "small")));

        Succeed("scale", "widget", "w", "-n", ns, "--replicas=3");
        Succeed("patch", "widget", "w", "-n", ns, "--subresource=status", "--type=merge", "-p", """{"status":{"replicas":2}}""");
        // Through the main resource the status stanza is ignored: that is what the status subresource means.
        Succeed("patch", "widget", "w", "-n", ns, "--type=merge", "-p", """{"status":{"replicas":7}}""");

        Assert.Equal("3", Succeed("get", "widget", "w", "-n", ns, "-o", "jsonpath={.spec.replicas}"));
        Assert.Equal("2", Succeed("get", "widget", "w", "-n", ns, "-o", "jsonpath={.status.replicas}"));
        Assert.Equal("3/2", Succeed("get", "widget", "w", "-n", ns, "--subresource=scale", "-o", "jsonpath={.spec.replicas}/{.status.replicas}"));
    }

    [Fact]
    public void ApplyCustomObject_ViolatingSchema_IsRejectedByApiServer()
    {
        var ns = NewNamespace();
        InstallWidgetCrd();

        // --validate=false: kubectl would otherwise check the schema itself against a 1.20 server;
        // the point is the API server's own validation.
        var result = Cluster.Kubectl("apply", "--validate=false", "-f", Manifest(WidgetManifests.Widget("bad", ns, "11", "huge")));

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("The Widget \"bad\" is invalid", result.Stderr);
        Assert.Contains("spec.replicas", result.Stderr);
        Assert.Contains("less than or equal to 10", result.Stderr);
        Assert.Contains("spec.size: Unsupported value: \"huge\"", result.Stderr);
        Assert.Equal("", Succeed("get", "widgets", "-n", ns, "-o", "name"));
    }

    [Fact]
    public async Task Deployment_WithControllerManager_GetsReplicaSetAndPods()
    {
        var ns = NewNamespace();

        Succeed("create", "deployment", "web", "-n", ns, "--image=registry.invalid/web:1", "--replicas=2");

        await Eventually.TrueAsync(
            () => Cluster.Kubectl("get", "replicasets", "-n", ns, "-o",
                    "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}={.spec.replicas}{end}")
                .Stdout == "Deployment/web=2",
            "a ReplicaSet of 2 owned by Deployment web",
            ControllerTimeout);
        // Without a scheduler they stay Pending, but the ReplicaSet controller creates them.
        await Eventually.TrueAsync(
            () => Cluster.Kubectl("get", "pods", "-n", ns, "-l", "app=web", "-o", "name").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "2 pods of Deployment web",
            ControllerTimeout);
    }

    [Fact]
    public async Task DeleteOwner_WithControllerManager_GarbageCollectsOwnedConfigMap()
    {
        var ns = NewNamespace();
        Succeed("create", "configmap", "owner", "-n", ns);
        Succeed("create", "configmap", "bystander", "-n", ns);
        var ownerUid = Succeed("get", "configmap", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        Succeed("apply", "-f", Manifest($"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: owned
              namespace: {ns}
              ownerReferences:
              - apiVersion: v1
                kind: ConfigMap
                name: owner
                uid: {ownerUid}
            data:
              key: value

            """));

        Succeed("delete", "configmap", "owner", "-n", ns);

        await Eventually.TrueAsync(
            () => Cluster.Kubectl("get", "configmap", "owned", "-n", ns, "--ignore-not-found", "-o", "name") is { Succeeded: true, Stdout: "" },
            "the garbage collector to delete the owned ConfigMap",
            ControllerTimeout);
        Assert.Equal("configmap/bystander", Succeed("get", "configmap", "bystander", "-n", ns, "-o", "name").Trim());
    }

    private string NewNamespace()
    {
        var name = $"t-{Guid.NewGuid():N}"[..14];
        Succeed("create", "namespace", name);
        return name;
    }

    private void InstallWidgetCrd()
    {
        Succeed("apply", "-f", Manifest(WidgetManifests.Crd));
        Succeed("wait", "--for=condition=Established", $"crd/{WidgetManifests.CrdName}", "--timeout=60s");
    }

    private string Manifest(string yaml)
    {
        var path = Path.Combine(Cluster.WorkDirectory, $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private string Succeed(params string[] args)
    {
        var result = Cluster.Kubectl(args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }
}
