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
    private OperatorScenario _scenario = null!;

    private KubeControlPlane Plane => fixture.ControlPlane;

    public async Task InitializeAsync() => _scenario = await OperatorScenario.StartAsync(Plane, "c", Timeout,
        "--certificate-validity", "40s", "--renew-before", "20s");

    public Task DisposeAsync() => _scenario.StopAsync(output);

    [Fact]
    public async Task OperatorMode_OwnedSecretsChainToTheNamespaceCa_StatusShowsExpiry_RenewedInPlace_DeletedWithTheTier()
    {
        await _scenario.ApplyMeituanExampleAsync();

        var collectorSecret = await _scenario.WaitForAsync(ResourceKind.Secret, "collectors-hop-tls");
        Assert.Equal("kubernetes.io/tls", (string?)collectorSecret["type"]);
        var owner = collectorSecret["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(("CollectorTier", "collectors", true), ((string?)owner["kind"], (string?)owner["name"], (bool?)owner["controller"]));
        var first = Data(collectorSecret);
        // The CA is kept in the operator's namespace, none of it in the tiers'.
        var authority = Data(await _scenario.WaitForAsync(ResourceKind.Secret, $"flumek8s-ca-{_scenario.Namespace}", OperatorServiceAccount.Namespace));
        Assert.Null(await _scenario.Client.GetAsync(ResourceKind.Secret, _scenario.Namespace, $"flumek8s-ca-{_scenario.Namespace}", default));
        Assert.Equal(authority["ca.crt"], first["ca.crt"]);
        using (var certificate = X509Certificate2.CreateFromPem(first["tls.crt"]))
        {
            Assert.True(HopCertificateCheck.ChainsTo(certificate, authority["tls.crt"], DateTimeOffset.UtcNow));
            Assert.Contains($"collectors-headless.{_scenario.Namespace}.svc.cluster.local", HopCertificateCheck.DnsNames(certificate));
            Assert.Equal((true, true), HopCertificateCheck.Usages(certificate)); // collectors receive and forward
        }
        await _scenario.WaitForAsync(ResourceKind.Secret, "stores-hop-tls");
        await _scenario.WaitForAsync(ResourceKind.Secret, "app-agents-hop-tls");

        var status = await _scenario.WaitForStatusAsync("collectortiers", "collectors", s => s["certificates"] is JsonArray);
        var hop = status["certificates"]!.AsArray().Single(c => (string?)c!["name"] == "hop")!;
        Assert.Equal("collectors-hop-tls", (string?)hop["secret"]);
        using (var certificate = X509Certificate2.CreateFromPem(first["tls.crt"]))
        {
            Assert.Equal(Pem.NotAfter(certificate), DateTimeOffset.Parse((string)hop["notAfter"]!, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Contains(status["certificates"]!.AsArray(), c => (string?)c!["name"] == "ca" && (string?)c["secret"] == $"{OperatorServiceAccount.Namespace}/flumek8s-ca-{_scenario.Namespace}");
        var statefulSet = await _scenario.WaitForAsync(ResourceKind.StatefulSet, "collectors");
        var template = statefulSet["spec"]!["template"]!.ToJsonString();
        Assert.Contains("\"secretName\":\"collectors-hop-tls\"", template, StringComparison.Ordinal);

        // Renewed 20 s before its 40 s are up: new data in the same Secret, the pod template untouched.
        await Eventually.TrueAsync(() => Data(_scenario.Client.GetAsync(ResourceKind.Secret, _scenario.Namespace, "collectors-hop-tls", default).Result!)["tls.crt"] != first["tls.crt"],
            "the collectors' certificate to be renewed", Timeout);
        Assert.Equal(template, (await _scenario.WaitForAsync(ResourceKind.StatefulSet, "collectors"))["spec"]!["template"]!.ToJsonString());
        Assert.Contains("CertificateIssued", Plane.Kubectl("get", "events", "-n", _scenario.Namespace, "--field-selector", "involvedObject.name=collectors", "-o", "json").Stdout);

        _scenario.Kubectl("delete", "-n", _scenario.Namespace, "agenttier/app-agents");
        await Eventually.TrueAsync(() => _scenario.Client.GetAsync(ResourceKind.Secret, _scenario.Namespace, "app-agents-hop-tls", default).Result is null,
            "the agents' Secret to go with their tier", Timeout);
    }

    [Fact]
    public async Task SecretMode_UsersCertificateWithinTheRenewalWindow_WarningEventAndConditionFalse_NoneModeIssuesNothing()
    {
        var now = DateTimeOffset.UtcNow;
        var ca = CertificateIssuer.CreateAuthority("user CA", now, TimeSpan.FromDays(1));
        var leaf = CertificateIssuer.Issue(ca, new HopCertificateRequest("stores", ["stores-headless"], true, false), now, TimeSpan.FromSeconds(15));
        var folder = Directory.CreateDirectory(Path.Combine(Plane.WorkDirectory, _scenario.Namespace + "-cert")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "tls.crt"), leaf.Certificate);
        await File.WriteAllTextAsync(Path.Combine(folder, "tls.key"), leaf.Key);
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.crt"), ca.Certificate);
        _scenario.Kubectl("create", "secret", "generic", "stores-cert", "-n", _scenario.Namespace, "--from-file", folder);
        var manifest = Path.Combine(Plane.WorkDirectory, $"{_scenario.Namespace}-tls.yaml");
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
        _scenario.Kubectl("apply", "-n", _scenario.Namespace, "-f", manifest);

        var status = await _scenario.WaitForStatusAsync("storetiers", "stores", s => Condition(s, "Certificates")?["status"]?.GetValue<string>() == "False");
        Assert.Equal("CertificateExpiring", (string?)Condition(status, "Certificates")!["reason"]);
        Assert.Equal("stores-cert", (string?)status["certificates"]![0]!["secret"]);
        Assert.Contains("\"secretName\":\"stores-cert\"", (await _scenario.WaitForAsync(ResourceKind.StatefulSet, "stores")).ToJsonString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Plane.Kubectl("get", "events", "-n", _scenario.Namespace, "--field-selector", "involvedObject.name=stores,type=Warning", "-o", "json")
            .Stdout.Contains("CertificateExpiring", StringComparison.Ordinal), "a Warning event about the expiring Secret", Timeout);
        Assert.Null(await _scenario.Client.GetAsync(ResourceKind.Secret, _scenario.Namespace, "stores-hop-tls", default));

        var plain = await _scenario.WaitForAsync(ResourceKind.StatefulSet, "plain");
        Assert.DoesNotContain("hop-tls", plain.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(Condition((await _scenario.WaitForStatusAsync("storetiers", "plain", s => s["configHash"] is not null)), "Certificates"));
        Assert.Null(await _scenario.Client.GetAsync(ResourceKind.Secret, _scenario.Namespace, "plain-hop-tls", default));
    }

    private static Dictionary<string, string> Data(JsonObject secret) =>
        secret["data"]!.AsObject().ToDictionary(p => p.Key, p => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)p.Value!)));

    private static JsonObject? Condition(JsonObject status, string type) =>
        status["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
}
