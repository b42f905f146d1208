using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>
/// A CA, a server certificate for localhost/127.0.0.1 and a client certificate, as PEM files in a
/// temp folder; a second pair issued by an intermediate CA under the same root, each file holding
/// the certificate followed by the intermediate (a peer trusting only the root needs it sent along);
/// and a client certificate of an unrelated CA.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory.CreateDirectory(Folder);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=FlumeK8s Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        (ServerCertificateFile, ServerKeyFile) = Issue(ca, "server", "localhost", "1.3.6.1.5.5.7.3.1");
        (ClientCertificateFile, ClientKeyFile) = Issue(ca, "client", "flumek8s-agent", "1.3.6.1.5.5.7.3.2");

        using var intermediateKey = RSA.Create(2048);
        var intermediateRequest = new CertificateRequest("CN=FlumeK8s Test Intermediate CA", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        using var intermediatePublic = intermediateRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29).AddHours(1), Serial());
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        (ChainedServerCertificateFile, ChainedServerKeyFile) = Issue(intermediate, "chained-server", "localhost", "1.3.6.1.5.5.7.3.1");
        (ChainedClientCertificateFile, ChainedClientKeyFile) = Issue(intermediate, "chained-client", "flumek8s-agent", "1.3.6.1.5.5.7.3.2");

        // A second, unrelated CA: a client certificate it signs must be refused.
        using var otherKey = RSA.Create(2048);
        var otherRequest = new CertificateRequest("CN=Other CA", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        otherRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var other = otherRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(OtherCaFile, other.ExportCertificatePem());
        (StrangerCertificateFile, StrangerKeyFile) = Issue(other, "stranger", "stranger", "1.3.6.1.5.5.7.3.2");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "flumek8s-certs-" + Guid.NewGuid().ToString("N"));

    public string CaFile => Path.Combine(Folder, "ca.pem");

    public string OtherCaFile => Path.Combine(Folder, "other-ca.pem");

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    public string ClientCertificateFile { get; }

    public string ClientKeyFile { get; }

    /// <summary>Issued by the intermediate CA; the file holds the certificate, then the intermediate.</summary>
    public string ChainedServerCertificateFile { get; }

    public string ChainedServerKeyFile { get; }

    /// <summary>Issued by the intermediate CA; the file holds the certificate, then the intermediate.</summary>
    public string ChainedClientCertificateFile { get; }

    public string ChainedClientKeyFile { get; }

    public string StrangerCertificateFile { get; }

    public string StrangerKeyFile { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private (string Certificate, string Key) Issue(X509Certificate2 issuer, string name, string dnsName, string usageOid)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), Serial());
        var certificateFile = Path.Combine(Folder, name + ".pem");
        var keyFile = Path.Combine(Folder, name + "-key.pem");
        // An intermediate issuer goes after the certificate, as cert-manager writes tls.crt.
        var isRoot = issuer.SubjectName.RawData.AsSpan().SequenceEqual(issuer.IssuerName.RawData);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + (isRoot ? "" : "\n" + issuer.ExportCertificatePem()));
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
