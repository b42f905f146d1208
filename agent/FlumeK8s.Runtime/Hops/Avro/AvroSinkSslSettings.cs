using System.Security.Authentication;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The avro sink's TLS: trust every server certificate, or those signed by the trust store's
/// certificates (PKCS#12 or PEM), or else the system's trusted roots.
/// </summary>
public sealed record AvroSinkSslSettings(bool TrustAllCerts, string? Truststore, string? TruststorePassword, string? TruststoreType, SslProtocols Protocols);
