using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Tests;

/// <summary>
/// A loopback port nothing listens on, for a server to bind a moment later. Taken below Linux's
/// ephemeral range (32768 and up): a port the kernel hands out for port 0 is also what it gives the
/// next outgoing connection of any test running alongside, which may then hold it when the server
/// binds. Linked into every test project and the bench, so there is one copy.
/// </summary>
internal static class FreeLoopbackPort
{
    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_768);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
        }
        throw new InvalidOperationException("no free loopback port below the ephemeral range");
    }
}
