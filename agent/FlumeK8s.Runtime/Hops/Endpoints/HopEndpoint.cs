namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>
/// One receiver: where to connect (<see cref="Host"/>, a name or an address) and the name the
/// receiver is known by (<see cref="ServerName"/>: the TLS name and HTTP/2 :authority). They differ
/// for DNS discovery, where each resolved address is dialled but the certificate names the service.
/// </summary>
public sealed record HopEndpoint(string Host, int Port, string ServerName)
{
    public HopEndpoint(string host, int port)
        : this(host, port, host)
    {
    }

    public Uri ToUri(bool tls) => new UriBuilder(tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, Host, Port).Uri;

    public override string ToString() =>
        (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}")
        + (ServerName == Host ? "" : $" ({ServerName})");
}
