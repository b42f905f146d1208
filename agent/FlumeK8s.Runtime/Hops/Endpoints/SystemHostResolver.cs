using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Runtime.Hops.Endpoints;

/// <summary>The system resolver. A name that does not exist resolves to no address; other failures throw, so the last known set is kept.</summary>
public sealed class SystemHostResolver : IHostResolver
{
    public static SystemHostResolver Instance { get; } = new();

    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            return [];
        }
    }
}
