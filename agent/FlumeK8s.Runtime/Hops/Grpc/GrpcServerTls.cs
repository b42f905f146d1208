using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The grpc source's TLS: its certificate and key (PEM), and whether clients must present a
/// certificate signed by the CA file. The files are read again whenever they change (<see cref="ServerTlsHandshake"/>).
/// </summary>
public sealed record GrpcServerTls(string CertificateFile, string KeyFile, bool RequireClientCertificate, string? ClientCaFile)
{
    /// <summary>Reads <c>ssl.*</c>; null when <c>ssl</c> is false (plain text, only when so configured).</summary>
    public static GrpcServerTls? Read(ComponentContext context)
    {
        RefuseJavaKeystore(context, "keystore");
        if (!context.GetBool("ssl", false))
        {
            return null;
        }
        var certificate = RequireFile(context, "ssl.certificate");
        var key = RequireFile(context, "ssl.key");
        var clientAuth = context.GetChoice("ssl.clientAuth", "none", "none", "required");
        var required = clientAuth == "required";
        var ca = required ? RequireFile(context, "ssl.clientCA") : OptionalFile(context, "ssl.clientCA");
        return new GrpcServerTls(certificate, key, required, ca);
    }

    internal static void RefuseJavaKeystore(ComponentContext context, string key)
    {
        if (context.GetString(key) is not null)
        {
            context.Error(key, $"Java keystores are not supported; give PEM files instead (ssl.certificate and ssl.key, truststore as a PEM CA file)");
        }
    }

    internal static string RequireFile(ComponentContext context, string key)
    {
        var path = context.Require(key);
        if (path.Length > 0 && !File.Exists(path))
        {
            context.Error(key, $"file '{path}' does not exist");
        }
        return path;
    }

    internal static string? OptionalFile(ComponentContext context, string key) =>
        context.Contains(key) ? RequireFile(context, key) : null;
}
