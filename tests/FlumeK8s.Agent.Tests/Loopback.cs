using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Tests;

namespace FlumeK8s.Agent.Tests;

/// <summary>What the process tests need of the loopback network: free ports, whether one is open, posting events to an http source.</summary>
internal static class Loopback
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A port nothing listens on, for a process to bind later (see <see cref="FreeLoopbackPort"/>).</summary>
    public static int FreePort() => FreeLoopbackPort.Next();

    /// <summary>Whether something accepts TCP connections on <paramref name="port"/>: false when refused.</summary>
    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    /// <summary>Posts events numbered <paramref name="first"/>.. to an http source (JSON handler); returns the status.</summary>
    public static async Task<HttpStatusCode> PostEventsAsync(int port, long first, int count)
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"headers":{},"body":"{{first + i}}"}""")) + "]";
        using var response = await Http.PostAsync($"http://127.0.0.1:{port}/", new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>The distinct numbered bodies a file_roll sink wrote under <paramref name="directory"/>.</summary>
    public static HashSet<long> Delivered(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).SelectMany(File.ReadLines).Where(l => l.Length > 0).Select(long.Parse).ToHashSet()
            : [];
}
