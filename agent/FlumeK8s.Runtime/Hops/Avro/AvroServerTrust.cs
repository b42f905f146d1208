using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// Which server certificates the avro sink accepts: any (<c>trust-all-certs</c>), those that
/// chain to the trust store's certificates, or those the system trusts. Like Flume's sink, it
/// checks the chain but not that the certificate names the host it connected to.
/// </summary>
internal sealed class AvroServerTrust(bool trustAll, X509Certificate2Collection? roots)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (trustAll)
        {
            return true;
        }
        if (roots is null)
        {
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }
        if (certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
