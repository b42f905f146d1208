using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Interceptors.Host;

/// <summary>
/// What Java's <c>InetAddress.getLocalHost()</c> gives Flume: the machine's host name resolved to
/// an address (in a pod, the pod IP from /etc/hosts), or that address's canonical name.
/// </summary>
internal static partial class LocalHost
{
    /// <summary>The address (<paramref name="useIp"/>) or canonical name; null, after logging why, when the lookup fails.</summary>
    public static string? Resolve(bool useIp, ILogger logger)
    {
        var hostName = Dns.GetHostName();
        try
        {
            var entry = Dns.GetHostEntry(hostName);
            if (!useIp)
            {
                return entry.HostName;
            }
            var address = entry.AddressList.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? entry.AddressList.FirstOrDefault();
            if (address is null)
            {
                LookupFailed(logger, hostName, "it resolves to no address");
            }
            return address?.ToString();
        }
        catch (SocketException e)
        {
            LookupFailed(logger, hostName, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not resolve local host '{HostName}': {Reason}; the host interceptor will not add its header")]
    private static partial void LookupFailed(ILogger logger, string hostName, string reason);
}
