using System.Net;
using System.Net.Sockets;
using System.Text;
using FlumeK8s.Runtime.Sources.Http;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Tests.Support.Fuzz;
using Xunit.Abstractions;

namespace FlumeK8s.Runtime.Tests.Sources.Http;

/// <summary>
/// Hostile requests against a real http source: mutated and truncated JSON, odd charsets, bodies
/// sent a byte per chunk, mutated raw HTTP, bodies over the limit, and requests that announce the
/// largest body allowed and then stall. No request may get a 500, the source must keep serving,
/// and it must hold only about what clients actually sent.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class HttpSourceFuzzTests(ITestOutputHelper output)
{
    private const int StalledRequests = 64;

    // 64 stalled requests hold a 16 KiB parse buffer each, plus Kestrel's buffers for them. A
    // source that reserved even 1 MiB per announced body would need 64 MiB.
    private const long StalledBound = 32L << 20;
    private const long AfterBound = 16L << 20;

    private static readonly string?[] AnyContentType =
        [null, "application/json", "application/json; charset=UTF-16", "application/json; charset=utf-32", "text/plain; charset=iso-8859-1"];

    [Fact]
    public async Task HostileRequests_NeverA500SourceKeepsServingAndMemoryStaysBounded()
    {
        var pipeline = new TestPipeline(capacity: 100_000, transactionCapacity: 10_000);
        var source = await StartAsync(pipeline);
        var endpoint = new IPEndPoint(IPAddress.Loopback, source.Port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await AssertServesAsync(http, source, pipeline, "warm-up");
            var baseline = ManagedMemory.Collected();

            var ran = await FuzzRun.CasesAsync("http", cases: 1000, budget: TimeSpan.FromSeconds(5), async fuzzer =>
            {
                var bodies = Enumerable.Range(0, fuzzer.Next(1, 20)).Select(i => $"case{fuzzer.Seed}-{i}").ToArray();
                var intact = fuzzer.Chance(0.25);
                var json = Json(bodies);
                var status = fuzzer.Chance(0.3) && !intact
                    ? await RawAsync(endpoint, fuzzer, json)
                    : await PostAsync(http, source, fuzzer, intact ? json : fuzzer.Mutate(json), intact ? "application/json" : fuzzer.Pick(AnyContentType));

                Assert.True(status != 500, $"answered {status}");
                var arrived = pipeline.DrainBodies();
                if (intact)
                {
                    Assert.Equal(200, status);
                    Assert.Equal(bodies, arrived);
                }
            });
            output.WriteLine($"{ran} cases from seed {FuzzRun.Seed}");

            var stalled = new List<TcpClient>();
            try
            {
                for (var i = 0; i < StalledRequests; i++)
                {
                    stalled.Add(await StallInsideBodyAsync(endpoint));
                }
                output.WriteLine(ManagedMemory.AssertGrowthBelow(
                    baseline, StalledBound, $"with {StalledRequests} requests stalled after announcing {HttpSourceSettings.DefaultMaxRequestBodyBytes} bytes"));
            }
            finally
            {
                stalled.ForEach(c => c.Dispose());
            }

            await AssertServesAsync(http, source, pipeline, "after the fuzzing");
            output.WriteLine(ManagedMemory.AssertGrowthBelow(baseline, AfterBound, "once every hostile request was gone"));
        }
        finally
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
    }

    private static async Task<int> PostAsync(HttpClient http, HttpSource source, Fuzzer fuzzer, byte[] body, string? contentType)
    {
        HttpContent content = fuzzer.Chance(0.5) ? new ByteArrayContent(body) : new TrickleContent(fuzzer.Pieces(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await http.PostAsync($"http://127.0.0.1:{source.Port}/", content);
        return (int)response.StatusCode;
    }

    /// <summary>A whole request written by hand and mutated, head included, or one claiming a body over the limit.</summary>
    private static async Task<int> RawAsync(IPEndPoint endpoint, Fuzzer fuzzer, byte[] json)
    {
        var length = fuzzer.Chance(0.3) ? HttpSourceSettings.DefaultMaxRequestBodyBytes + fuzzer.Next(1, int.MaxValue) : json.Length;
        var request = fuzzer.Mutate([.. Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n"), .. json]);
        var answer = Encoding.ASCII.GetString(await FuzzTcp.ExchangeAsync(endpoint, fuzzer.Pieces(request)));
        // Kestrel may close on a request it cannot parse at all; anything it answers has a status.
        var words = answer.Split(' ', 3);
        return words.Length > 1 && int.TryParse(words[1], out var status) ? status : 0;
    }

    /// <summary>
    /// A request announcing the largest body allowed that sends its start once the source is reading
    /// it (Expect: 100-continue makes Kestrel say so), then nothing more.
    /// </summary>
    private static async Task<TcpClient> StallInsideBodyAsync(IPEndPoint endpoint)
    {
        var head = $"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {HttpSourceSettings.DefaultMaxRequestBodyBytes}\r\nExpect: 100-continue\r\n\r\n";
        var client = await FuzzTcp.StallAsync(endpoint, Encoding.ASCII.GetBytes(head));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var stream = client.GetStream();
            var answer = new byte[64];
            var read = await stream.ReadAsync(answer, timeout.Token);
            Assert.StartsWith("HTTP/1.1 100", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("[{\"body\":\"" + new string('x', 4000)), timeout.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task AssertServesAsync(HttpClient http, HttpSource source, TestPipeline pipeline, string when)
    {
        using var response = await http.PostAsync($"http://127.0.0.1:{source.Port}/", new ByteArrayContent(Json("valid-1", "valid-2")));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"a valid request {when} was answered {(int)response.StatusCode}");
        Assert.Equal(["valid-1", "valid-2"], pipeline.DrainBodies());
    }

    private static byte[] Json(params string[] bodies) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",", bodies.Select(b => $$"""{"headers":{"k":"{{b}}"},"body":"{{b}}"}""")) + "]");

    private static async Task<HttpSource> StartAsync(TestPipeline pipeline)
    {
        var (context, problems) = TestPipeline.Context("bind=127.0.0.1", "port=0");
        var settings = HttpSourceSettings.Read(context);
        Assert.Empty(problems.Errors);
        var source = new HttpSource("r1", settings, pipeline.Processor, pipeline.Services);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        return source;
    }
}
