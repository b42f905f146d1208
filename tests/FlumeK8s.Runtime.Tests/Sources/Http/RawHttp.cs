using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FlumeK8s.Runtime.Tests.Sources.Http;

/// <summary>Hand-written HTTP/1.1 to a source, to send what no well-behaved client would.</summary>
internal static class RawHttp
{
    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, "Connection: close" added) and
    /// <paramref name="body"/>, then returns the response's status code and text once the source
    /// closes the connection. The body may be cut short: the source should answer without it.
    /// </summary>
    public static async Task<(int Status, string Text)> SendAsync(int port, string head, byte[] body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd() + "\r\nConnection: close\r\n\r\n"), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        var response = new MemoryStream();
        try
        {
            await stream.CopyToAsync(response, timeout.Token);
        }
        catch (IOException) when (response.Length > 0)
        {
            // A reset after the answer: the source closed without reading the rest of the body.
        }
        var text = Encoding.UTF8.GetString(response.ToArray());
        return (int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }
}
