using System.Net;
using System.Text;

namespace FlumeK8s.Bench;

/// <summary>Posts JSON batches of events to the http source over loopback from a few concurrent connections.</summary>
internal static class HttpLoad
{
    private const int Connections = 4;

    public static async Task RunAsync(int port, int batchSize, long events, int bodySize, CancellationToken cancellationToken)
    {
        var body = new string('x', bodySize);
        var one = $$"""{"headers":{"host":"bench"},"body":"{{body}}"}""";
        var payload = Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat(one, batchSize)) + "]");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var requests = (events + batchSize - 1) / batchSize;
        var next = -1L;
        var workers = Enumerable.Range(0, Connections).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < requests && !cancellationToken.IsCancellationRequested)
            {
                while (true)
                {
                    using var content = new ByteArrayContent(payload);
                    using var response = await client.PostAsync("", content, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                    // 503 is backpressure: the channel is full for the moment.
                    await Task.Delay(1, cancellationToken);
                }
            }
        });
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The measurement has what it needs.
        }
    }
}
