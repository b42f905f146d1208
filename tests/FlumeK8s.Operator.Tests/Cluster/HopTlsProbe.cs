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
    public async Task<(CommandResult Result, X509Certificate2? Served)> HandshakeAsync(string pod, string name, string trust, string? client)
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
        // s_client sends what it reads from stdin: nothing for 2 s, then its end closes the session. A
        // refusal comes after the handshake (TLS 1.3 judges the client's certificate after the
        // server's Finished), so the session must last long enough to see the agent close it.
        var result = await CommandRunner.RunAsync("bash", ["-c", "sleep 2 | nsenter \"$@\"", "probe", .. arguments], TimeSpan.FromSeconds(30), CancellationToken.None);
        var pem = PemBlock().Match(result.Stdout);
        return (result, pem.Success ? X509Certificate2.CreateFromPem(pem.Value) : null);
    }

    /// <summary>Whether the agent ended the session s_client held open: it refused the client (it closes the connection, or sends an alert).</summary>
    public static bool Refused(CommandResult result) =>
        !result.Succeeded && (result.Stderr.Contains("unexpected eof", StringComparison.OrdinalIgnoreCase) || result.Stderr.Contains("alert", StringComparison.OrdinalIgnoreCase));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [GeneratedRegex("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----")]
    private static partial Regex PemBlock();
}
