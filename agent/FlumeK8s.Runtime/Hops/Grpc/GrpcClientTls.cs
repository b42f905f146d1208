using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The grpc sink's TLS: the CA (PEM) that receivers' certificates must chain to (the system store
/// when absent), and a client certificate and key (PEM) for receivers that require mTLS. The files
/// are read again whenever they change (<see cref="HopClient"/>).
/// </summary>
public sealed record GrpcClientTls(string? TrustedCaFile, string? CertificateFile, string? KeyFile)
{
    /// <summary>Reads <c>ssl</c>, <c>truststore</c> and <c>ssl.certificate</c>/<c>ssl.key</c>; null for plain text.</summary>
    public static GrpcClientTls? Read(ComponentContext context)
    {
        GrpcServerTls.RefuseJavaKeystore(context, "keystore");
        var truststoreType = context.GetString("truststore-type");
        if (truststoreType is not null && !string.Equals(truststoreType, "PEM", StringComparison.OrdinalIgnoreCase))
        {
            context.Error("truststore-type", $"'{truststoreType}' is not supported: truststore must be a PEM file of CA certificates");
        }
        if (context.GetString("trust-all-certs") is not null)
        {
            context.Error("trust-all-certs", "not supported: give the receivers' CA as truststore instead of trusting every certificate");
        }
        if (!context.GetBool("ssl", false))
        {
            return null;
        }
        var ca = GrpcServerTls.OptionalFile(context, "truststore");
        var certificate = GrpcServerTls.OptionalFile(context, "ssl.certificate");
        var key = GrpcServerTls.OptionalFile(context, "ssl.key");
        if ((certificate is null) != (key is null))
        {
            context.Error(certificate is null ? "ssl.certificate" : "ssl.key", "a client certificate needs both ssl.certificate and ssl.key");
        }
        return new GrpcClientTls(ca, certificate, key);
    }
}
