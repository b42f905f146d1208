using System.Net;
using System.Net.Sockets;

namespace FlumeK8s.Operator.Tests.Envtest;

internal static class FreePorts
{
    /// <summary>
    /// Distinct loopback ports free right now. The listeners stay open until all are chosen so the
    /// OS cannot hand out the same port twice.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }
}
