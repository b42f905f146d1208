namespace FlumeK8s.Operator.Certificates;

/// <summary>A tier's hop Secret in cert-manager's layout: the certificate, its key, and the CAs to trust.</summary>
internal sealed record HopSecretData(string Certificate, string Key, string TrustBundle)
{
    public const string CertificateKey = "tls.crt";
    public const string KeyKey = "tls.key";
    public const string TrustKey = "ca.crt";

    public static HopSecretData? Read(IReadOnlyDictionary<string, string> data) =>
        data.TryGetValue(CertificateKey, out var certificate) && data.TryGetValue(KeyKey, out var key)
            ? new HopSecretData(certificate, key, data.GetValueOrDefault(TrustKey, ""))
            : null;

    public IReadOnlyDictionary<string, string> ToData() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [CertificateKey] = Certificate,
        [KeyKey] = Key,
        [TrustKey] = TrustBundle,
    };
}
