using FlumeK8s.Operator.Certificates;
using FlumeK8s.Operator.Rendering;

namespace FlumeK8s.Operator.Tests.Certificates;

/// <summary>
/// The hop certificate's files as a pod would have them mounted, in a temporary directory: issued by
/// the operator's own issuer, so a rendered configuration can be loaded (and started) outside a pod.
/// </summary>
internal sealed class PodTlsFiles : IDisposable
{
    public PodTlsFiles(HopCertificateRequest? request = null)
    {
        var now = DateTimeOffset.UtcNow;
        Authority = CertificateIssuer.CreateAuthority("test CA", now, TimeSpan.FromDays(30));
        var issued = CertificateIssuer.Issue(Authority, request ?? new HopCertificateRequest("test", ["localhost"], true, true), now, TimeSpan.FromDays(1));
        Directory.CreateDirectory(Path.GetDirectoryName(TrustFile)!);
        File.WriteAllText(Path.Combine(Folder, "tls.crt"), issued.Certificate);
        File.WriteAllText(Path.Combine(Folder, "tls.key"), issued.Key);
        File.WriteAllText(TrustFile, Authority.Certificate);
    }

    public IssuedPem Authority { get; }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "flumek8s-tls-" + Guid.NewGuid().ToString("N"));

    public string TrustFile => Path.Combine(Folder, "ca.crt");

    /// <summary><paramref name="config"/> with the pod's certificate directory pointing here.</summary>
    public string Mount(string config) => config.Replace(HopTlsLayout.Directory + "/", Folder + "/", StringComparison.Ordinal);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
