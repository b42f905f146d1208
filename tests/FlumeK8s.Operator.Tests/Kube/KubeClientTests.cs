using System.Net;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using k8s;

namespace FlumeK8s.Operator.Tests.Kube;

[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class KubeClientTests(KubeControlPlaneFixture fixture) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly KubeClient _client = KubeClient.FromKubeconfig(fixture.ControlPlane.KubeconfigPath);
    private readonly string _namespace = "default";

    public void Dispose() => _client.Dispose();

    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["test"] = "kube-client" } },
        ["data"] = new JsonObject { ["key"] = value },
    };

    [Fact]
    public void FromKubeconfig_ReadsServerTokenAndContext()
    {
        Assert.Equal(fixture.ControlPlane.ServerUrl.Port, _client.Server.Port);
        Assert.Equal(fixture.ControlPlane.Token, KubeConfig.FromKubeconfig(fixture.ControlPlane.KubeconfigPath).AccessToken);
        Assert.Equal("default", _client.DefaultNamespace);
    }

    [Fact]
    public async Task FromKubeconfig_ExecCredentialPlugin_AuthenticatesWithTheTokenItPrints()
    {
        // What EKS, GKE and AKS kubeconfigs do: a command prints an ExecCredential with the token.
        var plane = fixture.ControlPlane;
        var dir = Directory.CreateDirectory(Path.Combine(plane.WorkDirectory, $"exec-{Guid.NewGuid():N}")).FullName;
        var plugin = Path.Combine(dir, "credential-plugin");
        await File.WriteAllTextAsync(plugin, $$$"""
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"{{{plane.Token}}}"}}'
            """);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        Kubeconfig.WriteWithUser(kubeconfig, plane.ServerUrl, $"""
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: /bin/sh
              args: ["{plugin}"]
            """);

        using var client = KubeClient.FromKubeconfig(kubeconfig);

        var list = await client.ListAsync(ResourceKind.ConfigMap, "default", null, default).WaitAsync(Timeout);
        Assert.NotNull(list.ResourceVersion);
    }

    [Fact]
    public async Task InCluster_ServiceAccountFilesAndEnvironment_TalksToTheServerVerifyingItsCertificate()
    {
        var account = await ServiceAccountFilesAsync(fixture.ControlPlane.Token);
        using var client = new KubeClient(KubeConfig.InCluster(account, InClusterEnvironment));

        Assert.Equal("default", client.DefaultNamespace);
        Assert.NotNull((await client.ListAsync(ResourceKind.ConfigMap, "default", null, default).WaitAsync(Timeout)).ResourceVersion);
        Assert.Throws<k8s.Exceptions.KubeConfigException>(() => KubeConfig.InCluster(account, _ => null));
    }

    [Fact]
    public async Task InCluster_TokenFileRotated_KeepsWorkingAfterTheOldTokenIsRevoked()
    {
        // Two service-account tokens bound to two Secrets: deleting a Secret revokes its token, as
        // the kubelet's rotation of a projected token retires the old one.
        var first = await ServiceAccountTokens.RequestAsync(_client, _namespace, "default", boundToSecret: "rotation-1");
        var second = await ServiceAccountTokens.RequestAsync(_client, _namespace, "default", boundToSecret: "rotation-2");
        var account = await ServiceAccountFilesAsync(first);
        using var client = new KubeClient(KubeConfig.InCluster(account, InClusterEnvironment));
        Assert.True(await client.ServesAsync("apps", "v1", default).WaitAsync(Timeout));

        await File.WriteAllTextAsync(Path.Combine(account, "token"), second);
        await _client.DeleteAsync(ResourceKind.Secret, _namespace, "rotation-1", "Background", default).WaitAsync(Timeout);

        // The old token is refused from now on ...
        using var stale = new KubeClient(KubeConfig.InCluster(await ServiceAccountFilesAsync(first), InClusterEnvironment));
        await Eventually.TrueAsync(async () => !await stale.ServesAsync("apps", "v1", default), "the first token to be revoked", Timeout);
        // ... and the client reads the token file again within a minute: it works on without a restart.
        await Eventually.TrueAsync(() => client.ServesAsync("apps", "v1", default), "the client to use the rotated token", TimeSpan.FromSeconds(90));
        await _client.DeleteAsync(ResourceKind.Secret, _namespace, "rotation-2", "Background", default).WaitAsync(Timeout);
    }

    private Dictionary<string, string> InClusterVariables => new()
    {
        ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
        ["KUBERNETES_SERVICE_PORT"] = fixture.ControlPlane.ServerUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private string? InClusterEnvironment(string name) => InClusterVariables.GetValueOrDefault(name);

    // What Kubernetes mounts into a pod, laid out by hand: the token, the CA that signed the API
    // server's certificate (here the test server's self-signed one), and the namespace.
    private async Task<string> ServiceAccountFilesAsync(string token)
    {
        var plane = fixture.ControlPlane;
        var account = Directory.CreateDirectory(Path.Combine(plane.WorkDirectory, $"sa-{Guid.NewGuid():N}")).FullName;
        await File.WriteAllTextAsync(Path.Combine(account, "token"), token + "\n");
        await File.WriteAllTextAsync(Path.Combine(account, "namespace"), "default");
        File.Copy(Path.Combine(plane.WorkDirectory, "certs", "apiserver.crt"), Path.Combine(account, "ca.crt"));
        return account;
    }

    [Fact]
    public async Task Apply_CreatesThenUpdates_AndRecordsTheFieldManager()
    {
        var name = $"apply-{Guid.NewGuid():N}"[..20];
        await _client.ApplyAsync(ResourceKind.ConfigMap, ConfigMap(name, "one"), "flumek8s-test", default).WaitAsync(Timeout);
        var applied = await _client.ApplyAsync(ResourceKind.ConfigMap, ConfigMap(name, "two"), "flumek8s-test", default).WaitAsync(Timeout);
        Assert.Equal("two", applied["data"]!["key"]!.GetValue<string>());

        var read = await _client.GetAsync(ResourceKind.ConfigMap, _namespace, name, default).WaitAsync(Timeout);
        Assert.Equal("two", read!["data"]!["key"]!.GetValue<string>());
        Assert.Contains(read["metadata"]!["managedFields"]!.AsArray(), f => f!["manager"]!.GetValue<string>() == "flumek8s-test");

        await _client.DeleteAsync(ResourceKind.ConfigMap, _namespace, name, "Background", default).WaitAsync(Timeout);
        Assert.Null(await _client.GetAsync(ResourceKind.ConfigMap, _namespace, name, default).WaitAsync(Timeout));
        // Deleting what is gone is not an error.
        await _client.DeleteAsync(ResourceKind.ConfigMap, _namespace, name, "Background", default).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Create_Invalid_ThrowsWithTheServersMessage()
    {
        var bad = ConfigMap("Not_A_Valid_Name", "x");
        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateAsync(ResourceKind.ConfigMap, bad, default).WaitAsync(Timeout));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        Assert.Equal("Invalid", error.Reason);
        Assert.Contains("Not_A_Valid_Name", error.ServerMessage);
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_IsAConflict()
    {
        var name = $"cas-{Guid.NewGuid():N}"[..18];
        var created = await _client.CreateAsync(ResourceKind.ConfigMap, ConfigMap(name, "a"), default).WaitAsync(Timeout);
        var stale = created.DeepClone().AsObject();
        created["data"]!["key"] = "b";
        await _client.ReplaceAsync(ResourceKind.ConfigMap, created, default).WaitAsync(Timeout);
        stale["data"]!["key"] = "c";
        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.ReplaceAsync(ResourceKind.ConfigMap, stale, default).WaitAsync(Timeout));
        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        await _client.DeleteAsync(ResourceKind.ConfigMap, _namespace, name, "Background", default);
    }

    [Fact]
    public async Task ListThenWatch_SeesAddedModifiedDeleted()
    {
        var name = $"watch-{Guid.NewGuid():N}"[..20];
        var list = await _client.ListAsync(ResourceKind.ConfigMap, _namespace, "test=kube-client", default).WaitAsync(Timeout);
        using var stop = new CancellationTokenSource(Timeout);
        var seen = new List<string>();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in _client.WatchAsync(ResourceKind.ConfigMap, _namespace, list.ResourceVersion, TimeSpan.FromSeconds(60), stop.Token))
            {
                if (KubeClient.Name(change.Object) == name)
                {
                    seen.Add(change.Type);
                    if (change.Type == "DELETED")
                    {
                        return;
                    }
                }
            }
        });
        await _client.ApplyAsync(ResourceKind.ConfigMap, ConfigMap(name, "1"), "flumek8s-test", default);
        await _client.ApplyAsync(ResourceKind.ConfigMap, ConfigMap(name, "2"), "flumek8s-test", default);
        await _client.DeleteAsync(ResourceKind.ConfigMap, _namespace, name, "Background", default);
        await watching.WaitAsync(Timeout);
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], seen);
    }

    [Fact]
    public async Task Serves_KnowsWhichApiVersionsTheServerHas()
    {
        Assert.True(await _client.ServesAsync("apps", "v1", default));
        Assert.True(await _client.ServesAsync("policy", "v1beta1", default));
        Assert.False(await _client.ServesAsync("flumek8s.io", "v0nonexistent", default));
    }
}
