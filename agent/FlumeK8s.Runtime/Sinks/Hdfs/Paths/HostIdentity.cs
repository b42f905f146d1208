using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Runtime.Sinks.Hdfs.Paths;

/// <summary>
/// What <c>%[localhost]</c>, <c>%[IP]</c> and <c>%[FQDN]</c> stand for, resolved once per sink as
/// Java's InetAddress.getLocalHost() would: the host name, its first address (IPv4 preferred) and
/// its canonical name. A name that does not resolve leaves the host name in place of the other two.
/// </summary>
public sealed record HostIdentity(string HostName, string Address, string CanonicalName)
{
    public static HostIdentity Resolve()
    {
        var name = Dns.GetHostName();
        try
        {
            var entry = Dns.GetHostEntry(name);
            var address = entry.AddressList.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? entry.AddressList.FirstOrDefault();
            return new HostIdentity(name, address?.ToString() ?? name, string.IsNullOrEmpty(entry.HostName) ? name : entry.HostName);
        }
        catch (SocketException)
        {
            return new HostIdentity(name, name, name);
        }
    }

    public string Get(HostEscape escape) => escape switch
    {
        HostEscape.Ip => Address,
        HostEscape.Fqdn => CanonicalName,
        _ => HostName,
    };
}
