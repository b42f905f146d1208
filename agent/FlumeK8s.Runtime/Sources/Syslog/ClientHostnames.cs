using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>
/// Reverse DNS for <c>clientHostnameHeader</c>. UDP asks once per datagram, so answers are cached
/// for a few minutes; a failed lookup answers the address itself, as Java's getHostName does.
/// </summary>
internal sealed class ClientHostnames(TimeProvider time)
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 1024;
    private readonly ConcurrentDictionary<IPAddress, (string Name, long At)> _cache = new();

    public async ValueTask<string> LookupAsync(IPAddress address, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(address, out var cached) && time.GetElapsedTime(cached.At) < TimeToLive)
        {
            return cached.Name;
        }
        string name;
        try
        {
            name = (await Dns.GetHostEntryAsync(address.ToString(), cancellationToken).ConfigureAwait(false)).HostName;
        }
        catch (SocketException)
        {
            name = address.ToString();
        }
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }
        _cache[address] = (name, time.GetTimestamp());
        return name;
    }

    /// <summary>The client's address as text; IPv4 clients of a dual-stack socket show as IPv4.</summary>
    public static string Ip(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
