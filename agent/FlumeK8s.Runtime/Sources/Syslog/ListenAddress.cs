using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>Resolves a configured <c>host</c> (an address or a name) to the address to bind.</summary>
internal static class ListenAddress
{
    public static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return literal;
        }
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        // Like Java's InetSocketAddress, bind the name's first address; prefer IPv4 so "localhost"
        // behaves the same whichever order the resolver returns.
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"host '{host}' resolves to no address");
    }
}
