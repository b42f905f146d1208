using System.Security.Cryptography.X509Certificates;

namespace FlumeK8s.Operator.Certificates;

/// <summary>What a tier's hop Secret needs: nothing, only the new trust bundle, or a new certificate (and why).</summary>
internal enum HopSecretAction
{
    Keep,
    UpdateTrust,
    Issue,
}

/// <summary>
/// Judges a tier's stored hop certificate against what it should be at a given time: present with its
/// key, signed by the namespace's signing CA and valid now, not yet in its renewal window, naming
/// exactly the requested DNS names and usages. Only the trust bundle differing is fixed in place.
/// </summary>
internal static class HopCertificateCheck
{
    public static (HopSecretAction Action, string Reason) Decide(HopSecretData? stored, HopCertificateRequest request,
        NamespaceAuthority authority, DateTimeOffset now, CertificatePolicy policy)
    {
        if (stored is null)
        {
            return (HopSecretAction.Issue, "no certificate yet");
        }
        using var certificate = Pem.Certificate(stored.Certificate);
        if (certificate is null || !Pem.IsPair(stored.Certificate, stored.Key))
        {
            return (HopSecretAction.Issue, "the stored certificate or key is unreadable");
        }
        if (!ChainsTo(certificate, authority.Active.Certificate, now))
        {
            return (HopSecretAction.Issue, "not signed by the namespace's current CA, or not valid now");
        }
        if (now >= policy.RenewalTime(Pem.NotAfter(certificate)))
        {
            return (HopSecretAction.Issue, $"expires {Pem.NotAfter(certificate):u}, within the renewal window");
        }
        if (!DnsNames(certificate).SequenceEqual(request.DnsNames.Order(StringComparer.Ordinal)) || Usages(certificate) != (request.Server, request.Client))
        {
            return (HopSecretAction.Issue, "its names or usages differ from the tier's");
        }
        return stored.TrustBundle == authority.Bundle ? (HopSecretAction.Keep, "valid") : (HopSecretAction.UpdateTrust, "the namespace's CAs changed");
    }

    /// <summary>Whether <paramref name="certificate"/> chains to the CA <paramref name="authority"/> (PEM), judged at <paramref name="at"/>.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, string authority, DateTimeOffset at)
    {
        using var root = Pem.Certificate(authority);
        if (root is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        return chain.Build(certificate);
    }

    public static IReadOnlyList<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).Order(StringComparer.Ordinal).ToList();

    public static (bool Server, bool Client) Usages(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>())
            .Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
        return (usages.Contains(CertificateIssuer.ServerAuth.Value), usages.Contains(CertificateIssuer.ClientAuth.Value));
    }
}
