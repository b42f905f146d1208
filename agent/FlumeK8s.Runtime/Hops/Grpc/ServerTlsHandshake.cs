using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Hops.Grpc;

/// <summary>
/// The grpc source's TLS, decided per connection: the server certificate and the client CA are
/// taken from their PEM files as they are at the handshake (<see cref="ReloadingPemFiles{T}"/>), so
/// a rotated certificate is served to every new connection without a restart; connections already
/// open keep the one they started with. HTTP/2 only (ALPN h2).
/// </summary>
internal sealed class ServerTlsHandshake
{
    private readonly GrpcServerTls _tls;
    private readonly ReloadingPemFiles<SslStreamCertificateContext> _identity;
    private readonly ReloadingPemFiles<X509Certificate2Collection>? _clientAuthorities;

    public ServerTlsHandshake(GrpcServerTls tls, ILogger logger)
    {
        _tls = tls;
        _identity = new("server certificate", [tls.CertificateFile, tls.KeyFile], () => PemCertificates.LoadContext(tls.CertificateFile, tls.KeyFile), logger);
        if (tls.ClientCaFile is { } caFile)
        {
            _clientAuthorities = new("client CA", [caFile], () => PemCertificates.LoadAuthorities(caFile), logger);
        }
        // Loaded once now, so a broken file fails the start instead of the first handshake.
        _ = _identity.Current;
        _ = _clientAuthorities?.Current;
    }

    public string Security => _tls.RequireClientCertificate ? "mTLS" : "TLS";

    public SslServerAuthenticationOptions OptionsForNewConnection()
    {
        var authorities = _clientAuthorities?.Current;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _identity.Current,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            // A client certificate is asked for when there is a CA to judge it by; required only with clientAuth=required.
            ClientCertificateRequired = authorities is not null,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => certificate is null
                ? !_tls.RequireClientCertificate
                : authorities is not null && PemCertificates.IsTrusted(certificate, chain, errors, authorities, PemCertificates.ClientAuthentication),
        };
    }
}
