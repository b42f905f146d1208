using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Runtime.Hops.Avro;

/// <summary>
/// The avro source's <c>ipFilterRules</c>: the first rule that matches a client decides; a client
/// no rule matches is allowed (Netty's rule handler). Host names are looked up only when a name
/// rule is reached.
/// </summary>
internal sealed class IpFilter(IReadOnlyList<IpFilterRule> rules)
{
    public async ValueTask<bool> AllowsAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        string? hostName = null;
        var lookedUp = false;
        foreach (var rule in rules)
        {
            if (rule.ByName && !lookedUp)
            {
                hostName = await LookUpAsync(address, cancellationToken).ConfigureAwait(false);
                lookedUp = true;
            }
            if (rule.Matches(address, hostName))
            {
                return rule.Allow;
            }
        }
        return true;
    }

    private static async ValueTask<string?> LookUpAsync(IPAddress address, CancellationToken cancellationToken)
    {
        try
        {
            return (await Dns.GetHostEntryAsync(address.ToString(), cancellationToken).ConfigureAwait(false)).HostName;
        }
        catch (SocketException)
        {
            // No reverse entry: name rules cannot match this client, ip rules still can.
            return null;
        }
    }
}
