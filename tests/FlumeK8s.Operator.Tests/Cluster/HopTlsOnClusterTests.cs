using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// Certificates between tiers on real pods: mutual TLS that refuses a sender without a certificate,
/// renewal under a stream with nothing lost and nothing restarted, a user's Secret in cert-manager's
/// layout, and plain text.
/// </summary>
[Collection(MeituanOnClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class HopTlsOnClusterTests(MeituanOnCluster example, ITestOutputHelper output)
{
    private const string Namespace = MeituanOnCluster.Namespace;
    private const string CollectorName = "collectors-headless." + Namespace + ".svc.cluster.local";
    private static readonly string[] Tiers = ["agenttier/app-agents", "collectortier/collectors", "storetier/stores"];

    private SingleNodeCluster Cluster => example.Cluster;

    [Fact]
    public async Task RenewedMidStream_EveryLineStoredWithoutARestart_AndACollectorRefusesASenderWithoutACertificate()
    {
        await example.SettleAsync(collectors: 2);
        using var probe = new HopTlsProbe(Cluster, Namespace);
        var agents = probe.Files("app-agents-hop-tls");
        var (before, served) = await probe.HandshakeAsync("collectors-0", CollectorName, agents, agents);
        Assert.True(before.Succeeded && before.Stdout.Contains("Verify return code: 0 (ok)", StringComparison.Ordinal), before.ToString());
        Assert.NotNull(served);
        Assert.False(HopTlsProbe.Refused(before), before.ToString());
        var refused = await probe.HandshakeAsync("collectors-0", CollectorName, agents, client: null);
        Assert.True(HopTlsProbe.Refused(refused.Result), $"a session without a client certificate was not refused: {refused.Result}");
        var restarts = Restarts();

        var log = new AppLogFile("renewal");
        const int Lines = 30_000;
        var writing = log.AppendAsync(0, Lines, 250);
        // Renewed a minute after issue: the collector serves a newer certificate to new connections, read from the updated Secret volume.
        await Eventually.TrueAsync(async () =>
        {
            var (now, newer) = await probe.HandshakeAsync("collectors-0", CollectorName, probe.Files("app-agents-hop-tls"), probe.Files("app-agents-hop-tls"));
            return now.Succeeded && newer is not null && newer.Thumbprint != served!.Thumbprint && newer.NotAfter > served.NotAfter;
        }, "collectors-0 to serve its renewed certificate", TimeSpan.FromMinutes(4));
        await writing;

        await example.ExpectAllStoredAsync(log, Lines, output);
        Assert.Equal(restarts, Restarts());
    }

    [Fact]
    public async Task UserSecretInCertManagersLayout_ThenPlainText_EveryLineStored()
    {
        await example.SettleAsync(collectors: 2);
        // What a cert-manager Certificate with both usages writes: one Secret for every tier of the topology.
        var now = DateTimeOffset.UtcNow;
        var ca = CertificateIssuer.CreateAuthority("user CA", now, TimeSpan.FromDays(1));
        var names = new[] { "collectors", "stores" }.SelectMany(t => new[] { $"{t}-headless.{Namespace}.svc.cluster.local", $"*.{t}-headless.{Namespace}.svc" }).ToList();
        var leaf = CertificateIssuer.Issue(ca, new HopCertificateRequest("hops", names, true, true), now, TimeSpan.FromDays(1));
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "flumek8s-user-cert-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "tls.crt"), leaf.Certificate);
            await File.WriteAllTextAsync(Path.Combine(folder, "tls.key"), leaf.Key);
            await File.WriteAllTextAsync(Path.Combine(folder, "ca.crt"), ca.Certificate);
            Cluster.MustKubectl("-n", Namespace, "create", "secret", "generic", "hop-cert", "--from-file", folder);

            await SwitchAsync("""{"spec":{"tls":{"mode":"secret","secretName":"hop-cert"}}}""", template => template.Contains("\"secretName\":\"hop-cert\"", StringComparison.Ordinal));
            using (var probe = new HopTlsProbe(Cluster, Namespace))
            {
                var user = probe.Files("hop-cert");
                var (handshake, served) = await probe.HandshakeAsync("collectors-0", CollectorName, user, user);
                Assert.True(handshake.Succeeded, handshake.ToString());
                Assert.Equal(X509Thumbprint(leaf.Certificate), served?.Thumbprint);
            }
            await StoreAsync("user-secret");

            await SwitchAsync("""{"spec":{"tls":{"mode":"none","secretName":null}}}""", template => !template.Contains("hop-tls", StringComparison.Ordinal));
            await StoreAsync("plain");
        }
        finally
        {
            // Back to the example's default (the operator's CA) for the scenarios after this one.
            foreach (var tier in Tiers)
            {
                Cluster.Kubectl("-n", Namespace, "patch", tier, "--type=merge", "-p", """{"spec":{"tls":null}}""");
            }
            await WaitForTemplatesAsync(template => template.Contains("-hop-tls\"", StringComparison.Ordinal));
            Cluster.Kubectl("-n", Namespace, "delete", "secret", "hop-cert");
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task SwitchAsync(string patch, Func<string, bool> applied)
    {
        foreach (var tier in Tiers)
        {
            Cluster.MustKubectl("-n", Namespace, "patch", tier, "--type=merge", "-p", patch);
        }
        await WaitForTemplatesAsync(applied);
    }

    // Every workload runs the template the switch renders: applied by the operator, rolled out.
    private async Task WaitForTemplatesAsync(Func<string, bool> applied)
    {
        var workloads = new[] { "daemonset/app-agents", "statefulset/collectors", "statefulset/stores" };
        await Eventually.TrueAsync(() => workloads.All(w => applied(Cluster.MustKubectl("-n", Namespace, "get", w, "-o", "jsonpath={.spec.template}"))),
            "the operator to render the switched pods", TimeSpan.FromMinutes(2));
        foreach (var workload in workloads)
        {
            Cluster.MustKubectl("-n", Namespace, "rollout", "status", workload, "--timeout=300s");
        }
        await example.SettleAsync(collectors: 2);
    }

    private async Task StoreAsync(string name)
    {
        var log = new AppLogFile(name);
        await log.AppendAsync(0, 2_000, 1_000);
        await example.ExpectAllStoredAsync(log, 2_000, output);
    }

    private static string X509Thumbprint(string pem)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        return certificate.Thumbprint;
    }

    private Dictionary<string, int> Restarts() => example.Restarts();
}
