using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Agent.Tests;

internal static class Loopback
{
    /// <summary>A port free on 127.0.0.1 right now, for an agent's source to bind.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
