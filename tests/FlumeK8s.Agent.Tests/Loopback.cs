using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Agent.Tests;

/// <summary>Loopback ports for the agents the tests start.</summary>
internal static class Loopback
{
    /// <summary>A port free now, for a component that must be told its port before it binds.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
