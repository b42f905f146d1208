namespace FlumeK8s.Operator.Certificates;

/// <summary>A certificate and its private key, PEM-encoded as they are stored in Secrets (key in PKCS#8).</summary>
internal sealed record IssuedPem(string Certificate, string Key);
