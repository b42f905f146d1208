using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Metrics;

namespace FlumeK8s.Runtime.Tests.Support.Fuzz;

/// <summary>Raw TCP clients for the fuzz tests: what the source answers, and clients that stall.</summary>
internal static class FuzzTcp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connects, makes one write per piece, ends its output and reads what the source answers until
    /// the source closes the connection. A source that closes early (bad input) ends the writing;
    /// one that never closes fails the case instead of hanging it.
    /// </summary>
    public static async Task<byte[]> ExchangeAsync(IPEndPoint endpoint, IEnumerable<ReadOnlyMemory<byte>> pieces)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(endpoint, timeout.Token);
        var stream = client.GetStream();
        try
        {
            foreach (var piece in pieces)
            {
                await stream.WriteAsync(piece, timeout.Token);
            }
            client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The source closed on what it had already read.
        }
        var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Closed with a reset: unread bytes were left behind, which is the source's right.
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"the source neither answered nor closed the connection within {Timeout}");
        }
        return answer.ToArray();
    }

    /// <summary>A client that sends <paramref name="start"/> and then nothing, open until disposed.</summary>
    public static async Task<TcpClient> StallAsync(IPEndPoint endpoint, byte[] start)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(endpoint, timeout.Token);
            await client.GetStream().WriteAsync(start, timeout.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens one client per start, each sending its start and then stalling; once the source has
    /// them all open, checks the managed memory against <paramref name="bound"/>, then closes them
    /// and waits until the source has too.
    /// </summary>
    /// <returns>What the memory check said, for the test's output.</returns>
    public static async Task<string> AssertMemoryWhileStalledAsync(
        IPEndPoint endpoint, IReadOnlyList<byte[]> starts, SourceCounter counter, long baseline, long bound, string what)
    {
        var stalled = new List<TcpClient>();
        try
        {
            foreach (var start in starts)
            {
                stalled.Add(await StallAsync(endpoint, start));
            }
            await Eventually.TrueAsync(() => counter.Get("OpenConnectionCount") == starts.Count, "the stalled clients to be connected");
            return ManagedMemory.AssertGrowthBelow(baseline, bound, $"with {starts.Count} clients stalled {what}");
        }
        finally
        {
            stalled.ForEach(c => c.Dispose());
            await Eventually.TrueAsync(() => counter.Get("OpenConnectionCount") == 0, "the stalled connections to close");
        }
    }
}
