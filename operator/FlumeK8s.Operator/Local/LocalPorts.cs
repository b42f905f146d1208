using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Operator.Local;

/// <summary>Free loopback ports, each handed out once: the kernel picks them (port 0), so they do not clash with running services.</summary>
internal sealed class LocalPorts
{
    private readonly HashSet<int> _given = [];

    public int Next()
    {
        while (true)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            if (_given.Add(port))
            {
                return port;
            }
        }
    }
}
