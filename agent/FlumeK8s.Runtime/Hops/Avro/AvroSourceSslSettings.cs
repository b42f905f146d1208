using System.Security.Authentication;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>The avro source's TLS: its PKCS#12 key store and the TLS versions it accepts.</summary>
public sealed record AvroSourceSslSettings(string Keystore, string? KeystorePassword, SslProtocols Protocols);
