using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Runtime.Sources;

/// <summary>Turns a source's <c>bind</c> (an address or a host name, as Flume accepts) and port into the endpoint to listen on.</summary>
internal static class SourceEndpoint
{
    public static async Task<IPEndPoint> ResolveAsync(string bind, int port, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(bind, out var address))
        {
            return new IPEndPoint(address, port);
        }
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(bind, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException($"Cannot resolve bind address '{bind}': {e.Message}", e);
        }
        // Java's InetSocketAddress binds the first address; preferring IPv4 keeps "localhost" on 127.0.0.1
        // where clients written for Flume expect it.
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        return chosen is null
            ? throw new IOException($"Bind address '{bind}' resolves to no IP address")
            : new IPEndPoint(chosen, port);
    }
}
