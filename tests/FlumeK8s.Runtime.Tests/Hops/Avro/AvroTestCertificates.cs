using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>A self-signed server certificate written as a PKCS#12 key store, a PEM trust store and a PKCS#12 trust store, in a temp directory.</summary>
internal sealed class AvroTestCertificates : IDisposable
{
    public const string Password = "changeit";

    public AvroTestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "avro-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Keystore = Path.Combine(Directory, "server.p12");
        File.WriteAllBytes(Keystore, certificate.Export(X509ContentType.Pkcs12, Password));
        PemTruststore = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(PemTruststore, certificate.ExportCertificatePem());
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        Pkcs12Truststore = Path.Combine(Directory, "trust.p12");
        File.WriteAllBytes(Pkcs12Truststore, publicOnly.Export(X509ContentType.Pkcs12, Password));
    }

    public string Directory { get; }

    public string Keystore { get; }

    public string PemTruststore { get; }

    public string Pkcs12Truststore { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
