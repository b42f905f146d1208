using System.Net;
using System.Text;
using FlumeK8s.Runtime.Sources.Http;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Http;

public sealed class HttpSourceTests : IAsyncLifetime
{
    private readonly List<HttpSource> _started = [];
    private readonly HttpClient _client = new() { Timeout = Eventually.DefaultTimeout };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var source in _started)
        {
            await Eventually.Within(source.StopAsync(CancellationToken.None));
        }
        _client.Dispose();
    }

    [Fact]
    public async Task Post_JsonEvents_Returns200AndWritesOneBatchWithHeaders()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);

        using var response = await PostAsync(source, """[{"headers":{"host":"web1","n":7},"body":"first"},{"body":"second"}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = pipeline.Drain();
        Assert.Equal(["first", "second"], events.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.Equal("web1", events[0].GetHeader("host"));
        Assert.Equal("7", events[0].GetHeader("n"));
        Assert.False(events[1].HasHeaders);
        Assert.Equal(1, source.Counter.Get("AppendBatchAcceptedCount"));
        Assert.Equal(2, source.Counter.EventsAccepted);
    }

    [Fact]
    public async Task Post_BadJson_Returns400SayingWhyAndWritesNothing()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);

        using var response = await PostAsync(source, """[{"body":"ok"},{"body":"broken""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync());
        Assert.Empty(pipeline.Drain());
        Assert.Equal(1, source.Counter.Get("EventReadFail"));
        Assert.Equal(0, source.Counter.EventsReceived);
    }

    [Fact]
    public async Task Post_EventOfWrongShape_Returns400NamingTheEvent()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);

        using var response = await PostAsync(source, """[{"body":"ok"},{"body":{"nested":1}}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("event 1: \"body\" must be a string", await response.Content.ReadAsStringAsync());
        Assert.Empty(pipeline.Drain());
    }

    [Fact]
    public async Task Post_ChannelFull_Returns503AndWritesNothing()
    {
        var pipeline = new TestPipeline(capacity: 2);
        var source = await StartAsync(pipeline);

        using var response = await PostAsync(source, """[{"body":"1"},{"body":"2"},{"body":"3"}]""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Channel might be full", await response.Content.ReadAsStringAsync());
        Assert.Empty(pipeline.Drain());
        Assert.Equal(1, source.Counter.ChannelWriteFails);
        Assert.Equal(0, source.Counter.EventsAccepted);
    }

    [Fact]
    public async Task Post_MoreEventsThanTransactionCapacity_Returns200AndWritesThemAllInOrder()
    {
        var pipeline = new TestPipeline(capacity: 1000, transactionCapacity: 10);
        var source = await StartAsync(pipeline);
        var bodies = Enumerable.Range(0, 250).Select(i => $"e{i}").ToList();

        using var response = await PostAsync(source, "[" + string.Join(",", bodies.Select(b => $$"""{"body":"{{b}}"}""")) + "]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bodies, pipeline.DrainBodies());
        Assert.Equal(250, source.Counter.EventsAccepted);
    }

    [Fact]
    public async Task Get_Returns405WithAllowPost()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);

        using var response = await _client.GetAsync($"http://127.0.0.1:{source.Port}/");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Empty(pipeline.Drain());
    }

    [Fact]
    public async Task Post_BlobHandler_BodyIsOneEventAndQueryParametersAreHeaders()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "handler=org.apache.flume.sink.solr.morphline.BlobHandler");
        byte[] blob = [0, 1, 2, 255, (byte)'\n', 42];

        using var response = await _client.PostAsync($"http://127.0.0.1:{source.Port}/upload?file=a.bin&kind=raw&kind=ignored", new ByteArrayContent(blob));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = pipeline.Drain();
        Assert.Single(events);
        Assert.Equal(blob, events[0].Body);
        Assert.Equal("a.bin", events[0].GetHeader("file"));
        Assert.Equal("raw", events[0].GetHeader("kind"));
    }

    [Fact]
    public async Task Post_BlobOverMaxBlobLength_Returns413AndWritesNothing()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "handler=blob", "handler.maxBlobLength=10");

        using var response = await _client.PostAsync($"http://127.0.0.1:{source.Port}/", new ByteArrayContent(new byte[11]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("maxBlobLength", await response.Content.ReadAsStringAsync());
        Assert.Empty(pipeline.Drain());
    }

    [Fact]
    public async Task Post_LargeJsonWithoutContentLength_AllEventsWritten()
    {
        var pipeline = new TestPipeline(capacity: 10000, transactionCapacity: 10000);
        var source = await StartAsync(pipeline);
        var bodies = Enumerable.Range(0, 5000).Select(i => $"{i:D6}{new string('x', 300)}").ToList();
        var json = "[" + string.Join(",", bodies.Select(b => $$"""{"body":"{{b}}"}""")) + "]";

        // Sent chunked, so the source cannot size its buffer up front and must grow it.
        using var response = await PostChunkedAsync(source, Encoding.UTF8.GetBytes(json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bodies, pipeline.DrainBodies());
    }

    [Fact]
    public async Task Post_ChunkedBlobOverMaxBlobLength_Returns413()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "handler=blob", "handler.maxBlobLength=100000");

        using var response = await PostChunkedAsync(source, new byte[100001]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(pipeline.Drain());
    }

    [Fact]
    public async Task Post_ContentLengthOverMaxRequestBodyBytes_Returns413AtOnceNamingTheLimit()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "maxRequestBodyBytes=1000");

        // Only the headers are sent: the claim alone is refused, before any body is read or held.
        var (status, text) = await RawHttp.SendAsync(source.Port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000", []);

        Assert.Equal(413, status);
        Assert.Contains("larger than maxRequestBodyBytes (1000 bytes)", text);
        Assert.Empty(pipeline.Drain());
        Assert.Equal(1, source.Counter.Get("EventReadFail"));
        using var ok = await PostAsync(source, """[{"body":"after"}]""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Post_ChunkedJsonOverMaxRequestBodyBytes_Returns413()
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline, "maxRequestBodyBytes=1000");
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"body":"0123456789"}""", 100)) + "]";

        using var response = await PostChunkedAsync(source, Encoding.UTF8.GetBytes(json));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("maxRequestBodyBytes", await response.Content.ReadAsStringAsync());
        Assert.Empty(pipeline.Drain());
    }

    [Theory]
    [InlineData("FFFFFFFFFFFFFFFF")]
    [InlineData("7FFFFFFFF")]
    public async Task Post_ChunkSizeThatOverflows_Returns400(string chunkSize)
    {
        var pipeline = new TestPipeline();
        var source = await StartAsync(pipeline);

        var (status, text) = await RawHttp.SendAsync(
            source.Port, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked", Encoding.ASCII.GetBytes(chunkSize + "\r\n[{\"body\":\"x\"}]"));

        Assert.True(status == 400, text);
        Assert.Empty(pipeline.Drain());
        using var ok = await PostAsync(source, """[{"body":"after"}]""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    private async Task<HttpResponseMessage> PostChunkedAsync(HttpSource source, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{source.Port}/") { Content = new ByteArrayContent(body) };
        request.Headers.TransferEncodingChunked = true;
        return await Eventually.Within(_client.SendAsync(request));
    }

    private async Task<HttpResponseMessage> PostAsync(HttpSource source, string json) =>
        await Eventually.Within(_client.PostAsync($"http://127.0.0.1:{source.Port}/", new StringContent(json, Encoding.UTF8, "application/json")));

    private async Task<HttpSource> StartAsync(TestPipeline pipeline, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(["bind=127.0.0.1", "port=0", .. properties]);
        var settings = HttpSourceSettings.Read(context);
        Assert.Empty(problems.Errors);
        var source = new HttpSource("r1", settings, pipeline.Processor, pipeline.Services);
        await Eventually.Within(source.StartAsync(CancellationToken.None));
        _started.Add(source);
        return source;
    }
}
