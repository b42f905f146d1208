using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Netcat;

/// <summary>A TCP client for the netcat source whose every read fails instead of hanging.</summary>
internal sealed class NetcatTestClient : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private StreamReader? _reader;

    public static async Task<NetcatTestClient> ConnectAsync(int port)
    {
        var client = new NetcatTestClient();
        await Eventually.Within(client._client.ConnectAsync("127.0.0.1", port));
        client._client.NoDelay = true;
        client._reader = new StreamReader(client._client.GetStream(), Encoding.UTF8);
        return client;
    }

    public async Task SendAsync(string text) =>
        await Eventually.Within(_client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask());

    public async Task<string?> ReadLineAsync() => await Eventually.Within(_reader!.ReadLineAsync());

    /// <summary>Everything the source sends until it closes the connection.</summary>
    public async Task<string> ReadToEndAsync() => await Eventually.Within(_reader!.ReadToEndAsync());

    /// <summary>Tells the source this client sends nothing more (netcat's end of input).</summary>
    public void EndInput() => _client.Client.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
