using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FlumeK8s.Agent.Tests;

/// <summary>
/// The real agent against clients that try to make its network sources hold memory: its resident
/// memory (VmRSS) is measured before and after, and the source must still serve a valid request.
/// The bounds are generous; the code before the sources were bounded needed gigabytes here.
/// </summary>
public sealed class NetworkSourceMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int OversizedBytes = 300 << 20;
    private const long RssGrowthBound = 200L << 20;

    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-source-memory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task HttpSource_FiveBodiesOf300MiB_RefusedWith413WhileRssStaysFlat()
    {
        var port = Loopback.FreePort();
        await using var agent = await StartAsync("http", port, "HTTP");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await PostValidAsync(http, port);
        var before = agent.ResidentBytes();

        // Three announced by Content-Length, refused before a byte of them is read; two chunked,
        // refused once maxRequestBodyBytes (32 MiB) of them arrived.
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add(await PostOversizedAsync(port, chunked: i >= 3));
        }
        var after = agent.ResidentBytes();
        output.WriteLine($"HTTP statuses [{string.Join(", ", statuses)}]; RSS {before >> 20} MiB before, {after >> 20} MiB after");

        Assert.All(statuses[..3], status => Assert.Equal(413, status));
        Assert.All(statuses[3..], status => Assert.True(status is 413 or 0, $"a chunked body over the limit was answered {status}"));
        Assert.Equal(5, await agent.CounterAsync("SOURCE.r1", "EventReadFail"));
        Assert.True(after - before < RssGrowthBound, $"RSS grew by {(after - before) >> 20} MiB");
        await PostValidAsync(http, port);
        Assert.Equal(2, await agent.CounterAsync("SOURCE.r1", "EventAcceptedCount"));
    }

    [Fact]
    public async Task GrpcSource_HundredStreamsAnnouncing16MiBThenStalling_RssStaysFlat()
    {
        var port = Loopback.FreePort();
        await using var agent = await StartAsync("grpc", port, "gRPC");
        Assert.Equal(0, await AppendBatchAsync(port));
        var before = agent.ResidentBytes();

        using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var first = GrpcClient();
        using var second = GrpcClient();
        var calls = Enumerable.Range(0, 100)
            .Select(i => StallAsync(i % 2 == 0 ? first : second, port, stalled.Token))
            .ToList();
        await Poll.UntilAsync(async () => await agent.CounterAsync("SOURCE.r1", "OpenConnectionCount") == 2, "both connections open");
        // The old source allocated each announced 16 MiB the moment a header arrived: watching for
        // two seconds is far longer than it took to reach 1.6 GiB.
        var peak = before;
        var watch = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < watch)
        {
            peak = Math.Max(peak, agent.ResidentBytes());
            await Task.Delay(50, stalled.Token);
        }
        await stalled.CancelAsync();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        output.WriteLine($"RSS {before >> 20} MiB before, {peak >> 20} MiB at most while 100 streams stalled");

        Assert.True(peak - before < RssGrowthBound, $"RSS grew by {(peak - before) >> 20} MiB");
        Assert.Equal(0, await AppendBatchAsync(port));
        Assert.Equal(2, await agent.CounterAsync("SOURCE.r1", "EventAcceptedCount"));
    }

    private async Task<AgentProcess> StartAsync(string sourceType, int port, string logName)
    {
        var config = Path.Combine(_dir, sourceType + ".properties");
        await File.WriteAllTextAsync(config, $"""
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = {sourceType}
            a1.sources.r1.bind = 127.0.0.1
            a1.sources.r1.port = {port}
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = 10000
            a1.channels.c1.transactionCapacity = 1000
            a1.sinks.k1.type = null
            a1.sinks.k1.channel = c1
            """);
        var agent = await AgentProcess.StartReadyAsync("-n", "a1", "-f", config);
        await agent.WaitForOutputAsync(new Regex($"{logName} source r1 listening on"), $"the {sourceType} source to listen");
        return agent;
    }

    private static async Task PostValidAsync(HttpClient http, int port)
    {
        using var response = await http.PostAsync($"http://127.0.0.1:{port}/", new StringContent("""[{"body":"valid"}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Streams 300 MiB of one JSON string, a MiB per write, while reading the answer: the status
    /// the source answered, or 0 when it closed without an answer reaching the client first.
    /// </summary>
    private static async Task<int> PostOversizedAsync(int port, bool chunked)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {OversizedBytes}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"), timeout.Token);
        var answer = ReadStatusAsync(stream, timeout.Token);
        var piece = Encoding.ASCII.GetBytes("[{\"body\":\"" + new string('x', (1 << 20) - 10));
        try
        {
            for (var sent = 0; sent < OversizedBytes && !answer.IsCompleted; sent += piece.Length)
            {
                if (sent > 0)
                {
                    // The string goes on: only the first piece opens it.
                    piece.AsSpan(0, 10).Fill((byte)'x');
                }
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:X}\r\n"), timeout.Token);
                }
                await stream.WriteAsync(piece, timeout.Token);
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
                }
            }
        }
        catch (IOException)
        {
            // The source stopped reading and closed: the answer, if any, is already on its way.
        }
        return await answer;
    }

    private static async Task<int> ReadStatusAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        try
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            var words = Encoding.ASCII.GetString(buffer, 0, read).Split(' ', 3);
            return words.Length > 1 && int.TryParse(words[1], out var status) ? status : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static HttpClient GrpcClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>A valid AppendBatch of one event; returns its grpc-status.</summary>
    private static async Task<int> AppendBatchAsync(int port)
    {
        // EventBatch { events: [Event { body: "ok" }] } in protobuf's wire format, framed for gRPC.
        byte[] batch = [0x0A, 0x04, 0x12, 0x02, (byte)'o', (byte)'k'];
        using var http = GrpcClient();
        using var request = GrpcRequest(port, new ByteArrayContent([0, .. BigEndian(batch.Length), .. batch]));
        using var response = await http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));
        await response.Content.ReadAsByteArrayAsync();
        var headers = response.Headers.Contains("grpc-status") ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        return int.Parse(headers.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A call whose message header announces 16 MiB, followed by ten bytes of it and then nothing.</summary>
    private static async Task StallAsync(HttpClient http, int port, CancellationToken stalled)
    {
        // A body from a pipe that is never completed: the client keeps the request open, waiting for more.
        var body = new Pipe();
        byte[] start = [0, .. BigEndian(16 << 20), .. new byte[10]];
        await body.Writer.WriteAsync(start, stalled);
        using var request = GrpcRequest(port, new StreamContent(body.Reader.AsStream()));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stalled);
    }

    private static HttpRequestMessage GrpcRequest(int port, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/flumek8s.v1.Hop/AppendBatch")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        return request;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
