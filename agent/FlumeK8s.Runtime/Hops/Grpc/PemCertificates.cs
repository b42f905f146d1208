using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>Certificates from PEM files, and chain checks against a PEM CA bundle instead of the system store.</summary>
internal static class PemCertificates
{
    /// <summary>The certificate with its private key; any further certificates in the file are its chain.</summary>
    private static (X509Certificate2 Certificate, X509Certificate2Collection Chain) LoadWithKey(string certificateFile, string keyFile)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificateFile);
        var chain = new X509Certificate2Collection();
        foreach (var extra in all)
        {
            if (extra.Thumbprint != certificate.Thumbprint)
            {
                chain.Add(extra);
            }
        }
        return (certificate, chain);
    }

    /// <summary>The certificate, key and chain as TLS presents them; built offline (no fetching of intermediates).</summary>
    public static SslStreamCertificateContext LoadContext(string certificateFile, string keyFile)
    {
        var (certificate, chain) = LoadWithKey(certificateFile, keyFile);
        return SslStreamCertificateContext.Create(certificate, chain, offline: true);
    }

    public static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        if (authorities.Count == 0)
        {
            throw new InvalidDataException($"'{caFile}' holds no PEM certificate");
        }
        return authorities;
    }

    /// <summary>The extended key usage a server's certificate must allow (when it lists any).</summary>
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>The extended key usage a client's certificate must allow (when it lists any).</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to one of <paramref name="authorities"/> and may be
    /// used for <paramref name="purpose"/> (a server-only certificate is no client's). The name check is
    /// the platform's (<paramref name="errors"/>), so only chain errors are re-judged here.
    /// </summary>
    public static bool IsTrusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection authorities, Oid purpose)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(purpose);
        if (presented is not null)
        {
            // Intermediates the peer sent along.
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
