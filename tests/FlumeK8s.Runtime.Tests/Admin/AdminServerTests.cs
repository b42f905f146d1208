using System.Net;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Admin;

/// <summary>The admin endpoint over loopback, in front of a running topology.</summary>
public sealed class AdminServerTests : IAsyncLifetime
{
    private const string MemoryFlow = """
        a1.sources = r1
        a1.channels = c1
        a1.sinks = k1
        a1.sources.r1.type = seq
        a1.sources.r1.totalEvents = 0
        a1.sources.r1.channels = c1
        a1.channels.c1.type = memory
        a1.sinks.k1.type = null
        a1.sinks.k1.channel = c1
        """;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly string _dir = Directory.CreateTempSubdirectory("flumek8s-admin-").FullName;
    private readonly MetricsRegistry _metrics = new();
    private readonly AgentHost _host;
    private readonly AdminServer _admin;

    public AdminServerTests()
    {
        _host = new AgentHost(AgentServices.ForTests(), _metrics);
        _admin = new AdminServer(_host, _metrics, NullLoggerFactory.Instance);
    }

    public Task InitializeAsync() => Eventually.Within(_admin.StartAsync(IPAddress.Loopback, 0, CancellationToken.None));

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Readyz_EveryChannelHealthy_200()
    {
        await RunAsync(MemoryFlow);
        using var response = await SendAsync(HttpMethod.Get, "/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_FileChannelMinimumRequiredSpaceAboveTheWholeDisk_503NamingTheCause()
    {
        await RunAsync(MemoryFlow.Replace("c1.type = memory", $"""
            c1.type = file
            a1.channels.c1.checkpointDir = {Path.Combine(_dir, "checkpoint")}
            a1.channels.c1.dataDirs = {Path.Combine(_dir, "data")}
            a1.channels.c1.minimumRequiredSpace = 9000000000000000000
            """));

        using var response = await SendAsync(HttpMethod.Get, "/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var reason = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("channel c1: minimumRequiredSpace (9000000000000000000 bytes) is not below the size of the whole disk", reason);
        Assert.Contains("lower minimumRequiredSpace", reason);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/metrics/prometheus")]
    [InlineData("/drain")]
    public async Task Head_AnswersAsGetWithoutTheBody(string path)
    {
        await RunAsync(MemoryFlow);
        using var get = await SendAsync(HttpMethod.Get, path);
        using var head = await SendAsync(HttpMethod.Head, path);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HeadReadyz_NotReady_503WithoutTheBody()
    {
        using var head = await SendAsync(HttpMethod.Head, "/readyz"); // no topology yet: starting
        Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/readyz")]
    [InlineData("/metrics/prometheus")]
    public async Task OtherMethods_StillRefused(string path)
    {
        using var post = await SendAsync(HttpMethod.Post, path);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task MetricsPaths_AfterAReloadReplacingComponents_OnlyTheRunningOnesOnce()
    {
        await RunAsync(MemoryFlow);
        await RunAsync(MemoryFlow.Replace("k1", "k2").Replace("c1.type = memory", $"""
            c1.type = file
            a1.channels.c1.checkpointDir = {Path.Combine(_dir, "checkpoint")}
            a1.channels.c1.dataDirs = {Path.Combine(_dir, "data")}
            """));

        using var scrape = await SendAsync(HttpMethod.Get, "/metrics/prometheus");
        var prometheus = await scrape.Content.ReadAsStringAsync();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType?.ToString());
        Assert.Contains("flume_sink_event_drain_attempt_count{component=\"k2\",type=\"null\"}", prometheus);
        Assert.DoesNotContain("component=\"k1\"", prometheus);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(prometheus, "(?m)^flume_channel_channel_capacity"));
        Assert.Contains("flume_channel_channel_capacity{component=\"c1\",type=\"file\"}", prometheus);
        Assert.Contains("flume_channel_fsync_count{component=\"c1\",type=\"file\"}", prometheus);

        using var json = await SendAsync(HttpMethod.Get, "/metrics");
        var components = System.Text.Json.JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["CHANNEL.c1", "SINK.k2", "SOURCE.r1"], components.EnumerateObject().Select(p => p.Name));
    }

    private async Task RunAsync(string flow)
    {
        var loaded = new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load(flow);
        Assert.Empty(loaded.Problems.Errors);
        await Eventually.Within(_host.ApplyAsync(loaded.Plan!, CancellationToken.None));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) =>
        Eventually.Within(Http.SendAsync(new HttpRequestMessage(method, $"http://127.0.0.1:{_admin.Port}{path}")));
}
