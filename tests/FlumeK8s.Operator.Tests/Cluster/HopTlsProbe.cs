using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using FlumeK8s.Operator.Tests.Envtest;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// Debian's openssl s_client, run in the node's network namespace (pods' addresses are only there),
/// against a pod's hop port: what a stranger to the cluster sees of its TLS.
/// </summary>
internal sealed partial class HopTlsProbe(SingleNodeCluster cluster, string @namespace) : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "flumek8s-probe-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Writes a Secret's tls.crt, tls.key and ca.crt to files; returns their folder.</summary>
    public string Files(string secret)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, secret)).FullName;
        foreach (var key in new[] { "tls.crt", "tls.key", "ca.crt" })
        {
            var encoded = cluster.MustKubectl("-n", @namespace, "get", "secret", secret, "-o", $"jsonpath={{.data.{key.Replace(".", "\\.", StringComparison.Ordinal)}}}");
            File.WriteAllBytes(Path.Combine(folder, key), Convert.FromBase64String(encoded));
        }
        return folder;
    }

    /// <summary>A TLS handshake with <paramref name="pod"/>'s hop port, verifying it by <paramref name="trust"/> under <paramref name="name"/>; with a client certificate from <paramref name="client"/> when given.</summary>
    public async Task<(CommandResult Result, X509Certificate2? Served)> HandshakeAsync(string pod, string name, string trust, string? client, bool tls12 = false)
    {
        var ip = cluster.MustKubectl("-n", @namespace, "get", "pod", pod, "-o", "jsonpath={.status.podIP}");
        var arguments = new List<string>
        {
            "--net=/var/run/netns/flumek8s-node", "openssl", "s_client", "-connect", $"{ip}:4141", "-servername", name,
            "-verify_hostname", name, "-verify_return_error", "-CAfile", Path.Combine(trust, "ca.crt"), "-alpn", "h2",
        };
        if (client is not null)
        {
            arguments.AddRange(["-cert", Path.Combine(client, "tls.crt"), "-key", Path.Combine(client, "tls.key")]);
        }
        if (tls12)
        {
            arguments.Add("-tls1_2");
        }
        // s_client reads what to send from stdin; an empty one ends the session after the handshake.
        var result = await CommandRunner.RunAsync("bash", ["-c", "exec nsenter \"$@\" </dev/null", "probe", .. arguments], TimeSpan.FromSeconds(30), CancellationToken.None);
        var pem = PemBlock().Match(result.Stdout);
        return (result, pem.Success ? X509Certificate2.CreateFromPem(pem.Value) : null);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [GeneratedRegex("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----")]
    private static partial Regex PemBlock();
}
