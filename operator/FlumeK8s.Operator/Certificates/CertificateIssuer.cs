using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlumeK8s.Operator.Certificates;

/// <summary>
/// Makes the operator's certificates with System.Security.Cryptography: ECDSA P-256 keys, SHA-256
/// signatures, random 128-bit serials. A CA may sign only end-entity certificates (path length 0);
/// a hop certificate may only sign handshakes, for the ends of a hop it serves.
/// </summary>
internal static class CertificateIssuer
{
    public static IssuedPem CreateAuthority(string commonName, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name(commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now - CertificatePolicy.Backdate, now + validity);
        return new IssuedPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A hop certificate signed by <paramref name="authority"/>; it ends no later than the authority does.</summary>
    public static IssuedPem Issue(IssuedPem authority, HopCertificateRequest what, DateTimeOffset now, TimeSpan validity)
    {
        using var issuer = X509Certificate2.CreateFromPem(authority.Certificate, authority.Key);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name(what.CommonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        if (what.Server)
        {
            usages.Add(ServerAuth);
        }
        if (what.Client)
        {
            usages.Add(ClientAuth);
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        if (what.DnsNames.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var name in what.DnsNames)
            {
                names.AddDnsName(name);
            }
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var notAfter = now + validity < issuer.NotAfter ? now + validity : new DateTimeOffset(issuer.NotAfter.ToUniversalTime());
        var notBefore = now - CertificatePolicy.Backdate;
        if (notBefore < issuer.NotBefore)
        {
            notBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime());
        }
        using var certificate = request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(16).Prepend((byte)0x01).ToArray());
        return new IssuedPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private static X500DistinguishedName Name(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        builder.AddOrganizationName("flumek8s");
        return builder.Build();
    }
}
