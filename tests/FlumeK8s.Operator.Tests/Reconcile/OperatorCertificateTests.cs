using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>
/// The operator's CA against a real API server and garbage collector, the operator process running
/// with short certificate lifetimes (40 s, renewed 20 s before expiry) so renewal happens within the test.
/// </summary>
[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OperatorCertificateTests(KubeControlPlaneFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _namespace = $"c{Guid.NewGuid():N}"[..12];
    private KubeClient _client = null!;
    private OperatorProcess _operator = null!;

    private KubeControlPlane Plane => fixture.ControlPlane;

    public async Task InitializeAsync()
    {
        _client = KubeClient.FromKubeconfig(Plane.KubeconfigPath);
        var kubeconfig = await OperatorServiceAccount.KubeconfigAsync(Plane, _client);
        Kubectl("create", "namespace", _namespace);
        _operator = OperatorProcess.Start(kubeconfig, "--namespace", _namespace, "--lease-namespace", OperatorServiceAccount.Namespace,
            "--certificate-validity", "40s", "--renew-before", "20s");
    }

    public async Task DisposeAsync()
    {
        var exit = await _operator.StopAsync();
        output.WriteLine(string.Join('\n', _operator.Output.TakeLast(40)));
        Assert.Equal(0, exit);
        Assert.DoesNotContain(_operator.Output, l => l.Contains($"system:serviceaccount:{OperatorServiceAccount.Namespace}:flumek8s-operator\" cannot", StringComparison.Ordinal));
        await _operator.DisposeAsync();
        Plane.Kubectl("delete", "namespace", _namespace, "--wait=false");
        _client.Dispose();
    }

    [Fact]
    public async Task OperatorMode_OwnedSecretsChainToTheNamespaceCa_StatusShowsExpiry_RenewedInPlace_DeletedWithTheTier()
    {
        await ApplyMeituanExampleAsync();

        var collectorSecret = await WaitForAsync(ResourceKind.Secret, "collectors-hop-tls");
        Assert.Equal("kubernetes.io/tls", (string?)collectorSecret["type"]);
        var owner = collectorSecret["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(("CollectorTier", "collectors", true), ((string?)owner["kind"], (string?)owner["name"], (bool?)owner["controller"]));
        var first = Data(collectorSecret);
        // The CA is kept in the operator's namespace, none of it in the tiers'.
        var authority = Data(await WaitForAsync(ResourceKind.Secret, $"flumek8s-ca-{_namespace}", OperatorServiceAccount.Namespace));
        Assert.Null(await _client.GetAsync(ResourceKind.Secret, _namespace, $"flumek8s-ca-{_namespace}", default));
        Assert.Equal(authority["ca.crt"], first["ca.crt"]);
        using (var certificate = X509Certificate2.CreateFromPem(first["tls.crt"]))
        {
            Assert.True(HopCertificateCheck.ChainsTo(certificate, authority["tls.crt"], DateTimeOffset.UtcNow));
            Assert.Contains($"collectors-headless.{_namespace}.svc.cluster.local", HopCertificateCheck.DnsNames(certificate));
            Assert.Equal((true, true), HopCertificateCheck.Usages(certificate)); // collectors receive and forward
        }
        await WaitForAsync(ResourceKind.Secret, "stores-hop-tls");
        await WaitForAsync(ResourceKind.Secret, "app-agents-hop-tls");

        var status = await WaitForStatusAsync("collectortiers", "collectors", s => s["certificates"] is JsonArray);
        var hop = status["certificates"]!.AsArray().Single(c => (string?)c!["name"] == "hop")!;
        Assert.Equal("collectors-hop-tls", (string?)hop["secret"]);
        using (var certificate = X509Certificate2.CreateFromPem(first["tls.crt"]))
        {
            Assert.Equal(Pem.NotAfter(certificate), DateTimeOffset.Parse((string)hop["notAfter"]!, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Contains(status["certificates"]!.AsArray(), c => (string?)c!["name"] == "ca" && (string?)c["secret"] == $"{OperatorServiceAccount.Namespace}/flumek8s-ca-{_namespace}");
        var statefulSet = await WaitForAsync(ResourceKind.StatefulSet, "collectors");
        var template = statefulSet["spec"]!["template"]!.ToJsonString();
        Assert.Contains("\"secretName\":\"collectors-hop-tls\"", template, StringComparison.Ordinal);

        // Renewed 20 s before its 40 s are up: new data in the same Secret, the pod template untouched.
        await Eventually.TrueAsync(() => Data(_client.GetAsync(ResourceKind.Secret, _namespace, "collectors-hop-tls", default).Result!)["tls.crt"] != first["tls.crt"],
            "the collectors' certificate to be renewed", Timeout);
        Assert.Equal(template, (await WaitForAsync(ResourceKind.StatefulSet, "collectors"))["spec"]!["template"]!.ToJsonString());
        Assert.Contains("CertificateIssued", Plane.Kubectl("get", "events", "-n", _namespace, "--field-selector", "involvedObject.name=collectors", "-o", "json").Stdout);

        Kubectl("delete", "-n", _namespace, "agenttier/app-agents");
        await Eventually.TrueAsync(() => _client.GetAsync(ResourceKind.Secret, _namespace, "app-agents-hop-tls", default).Result is null,
            "the agents' Secret to go with their tier", Timeout);
    }

    [Fact]
    public async Task SecretMode_UsersCertificateWithinTheRenewalWindow_WarningEventAndConditionFalse_NoneModeIssuesNothing()
    {
        var now = DateTimeOffset.UtcNow;
        var ca = CertificateIssuer.CreateAuthority("user CA", now, TimeSpan.FromDays(1));
        var leaf = CertificateIssuer.Issue(ca, new HopCertificateRequest("stores", ["stores-headless"], true, false), now, TimeSpan.FromSeconds(15));
        var folder = Directory.CreateDirectory(Path.Combine(Plane.WorkDirectory, _namespace + "-cert")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "tls.crt"), leaf.Certificate);
        await File.WriteAllTextAsync(Path.Combine(folder, "tls.key"), leaf.Key);
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.crt"), ca.Certificate);
        Kubectl("create", "secret", "generic", "stores-cert", "-n", _namespace, "--from-file", folder);
        var manifest = Path.Combine(Plane.WorkDirectory, $"{_namespace}-tls.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: flumek8s.io/v1alpha1
            kind: StoreTier
            metadata: {name: stores}
            spec:
              tls: {mode: secret, secretName: stores-cert}
              flow:
                channels: [{name: c1, type: memory}]
                sinks: [{name: k1, type: logger, channel: c1}]
            ---
            apiVersion: flumek8s.io/v1alpha1
            kind: StoreTier
            metadata: {name: plain}
            spec:
              tls: {mode: none}
              flow:
                channels: [{name: c1, type: memory}]
                sinks: [{name: k1, type: logger, channel: c1}]
            """);
        Kubectl("apply", "-n", _namespace, "-f", manifest);

        var status = await WaitForStatusAsync("storetiers", "stores", s => Condition(s, "Certificates")?["status"]?.GetValue<string>() == "False");
        Assert.Equal("CertificateExpiring", (string?)Condition(status, "Certificates")!["reason"]);
        Assert.Equal("stores-cert", (string?)status["certificates"]![0]!["secret"]);
        Assert.Contains("\"secretName\":\"stores-cert\"", (await WaitForAsync(ResourceKind.StatefulSet, "stores")).ToJsonString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Plane.Kubectl("get", "events", "-n", _namespace, "--field-selector", "involvedObject.name=stores,type=Warning", "-o", "json")
            .Stdout.Contains("CertificateExpiring", StringComparison.Ordinal), "a Warning event about the expiring Secret", Timeout);
        Assert.Null(await _client.GetAsync(ResourceKind.Secret, _namespace, "stores-hop-tls", default));

        var plain = await WaitForAsync(ResourceKind.StatefulSet, "plain");
        Assert.DoesNotContain("hop-tls", plain.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(Condition((await WaitForStatusAsync("storetiers", "plain", s => s["configHash"] is not null)), "Certificates"));
        Assert.Null(await _client.GetAsync(ResourceKind.Secret, _namespace, "plain-hop-tls", default));
    }

    private static Dictionary<string, string> Data(JsonObject secret) =>
        secret["data"]!.AsObject().ToDictionary(p => p.Key, p => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)p.Value!)));

    private static JsonObject? Condition(JsonObject status, string type) =>
        status["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    private async Task ApplyMeituanExampleAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "examples", "meituan", "tiers.yaml"));
        var copy = Path.Combine(Plane.WorkDirectory, $"{_namespace}-meituan.yaml");
        await File.WriteAllTextAsync(copy, text.Replace("namespace: logging", $"namespace: {_namespace}"));
        Kubectl("apply", "-f", copy);
    }

    private void Kubectl(params string[] args)
    {
        var result = Plane.Kubectl(args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
    }

    private async Task<JsonObject> WaitForAsync(ResourceKind kind, string name, string? ns = null)
    {
        JsonObject? found = null;
        await Eventually.TrueAsync(() => (found = _client.GetAsync(kind, ns ?? _namespace, name, default).Result) is not null, $"{kind.Kind} {name}", Timeout);
        return found!;
    }

    private async Task<JsonObject> WaitForStatusAsync(string plural, string name, Func<JsonObject, bool> condition)
    {
        JsonObject? current = null;
        var resource = new ResourceKind("flumek8s.io", "v1alpha1", "", plural);
        await Eventually.TrueAsync(() => (current = _client.GetAsync(resource, _namespace, name, default).Result?["status"]?.AsObject()) is { } s && condition(s),
            $"{plural}/{name} status", Timeout);
        return current!;
    }
}
