using System.Net;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Admin;

/// <summary>POST, GET and DELETE <c>/drain</c> over loopback, in front of a channel whose sink cannot deliver yet.</summary>
public sealed class DrainEndpointTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly DeliveryGate _gate = new();
    private readonly MetricsRegistry _metrics = new();
    private readonly AgentHost _host;
    private readonly AdminServer _admin;

    public DrainEndpointTests()
    {
        _host = new AgentHost(AgentServices.ForTests(), _metrics);
        _admin = new AdminServer(_host, _metrics, NullLoggerFactory.Instance);
    }

    public async Task InitializeAsync()
    {
        var loaded = GatedFlow.Loader(_gate).Load(GatedFlow.Config(30));
        await Eventually.Within(_host.ApplyAsync(loaded.Plan!, CancellationToken.None));
        await Eventually.Within(_admin.StartAsync(IPAddress.Loopback, 0, CancellationToken.None));
        await Eventually.TrueAsync(() => _host.Channels["c1"].EventsHeld == 30, "30 events held");
    }

    public async Task DisposeAsync()
    {
        _gate.IsOpen = true;
        await _admin.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Get_NotDraining_200WithTheDepthsAndNotEmpty()
    {
        var (code, body) = await SendAsync(HttpMethod.Get);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("""{"draining":false,"empty":false,"events":30,"channels":{"c1":30}}""", body);
    }

    [Fact]
    public async Task Post_StopsTheSources_202DrainingAndReadyzSaysSo()
    {
        var (code, body) = await SendAsync(HttpMethod.Post);

        Assert.Equal(HttpStatusCode.Accepted, code);
        Assert.Equal("""{"draining":true,"empty":false,"events":30,"channels":{"c1":30}}""", body);
        Assert.Empty(_host.Sources);
        var (ready, reason) = await SendAsync(HttpMethod.Get, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.StartsWith("draining: emptying its channels before removal", reason);
    }

    [Fact]
    public async Task Post_Twice_SameAnswer()
    {
        var first = await SendAsync(HttpMethod.Post);
        var second = await SendAsync(HttpMethod.Post);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Get_AfterTheSinksDeliveredEverything_Empty()
    {
        await SendAsync(HttpMethod.Post);
        _gate.IsOpen = true;

        await Eventually.TrueAsync(async () => (await SendAsync(HttpMethod.Get)).Body.Contains("\"empty\":true"), "the drain to finish");

        Assert.Equal("""{"draining":true,"empty":true,"events":0,"channels":{"c1":0}}""", (await SendAsync(HttpMethod.Get)).Body);
        Assert.Equal(30, _gate.Delivered);
    }

    [Fact]
    public async Task Delete_CancelsTheDrain_SourcesBackAndReadyAgain()
    {
        await SendAsync(HttpMethod.Post);

        var (code, body) = await SendAsync(HttpMethod.Delete);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.StartsWith("""{"draining":false,"empty":false,""", body);
        Assert.Single(_host.Sources);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/readyz")).Code);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete)).Code);
        Assert.Single(_host.Sources);
    }

    [Fact]
    public async Task Delete_WhileShuttingDown_409()
    {
        await SendAsync(HttpMethod.Post);
        _gate.IsOpen = true;
        await Eventually.Within(_host.ShutdownAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var (code, body) = await SendAsync(HttpMethod.Delete);

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.StartsWith("""{"draining":true,"empty":false,""", body);
    }

    [Fact]
    public async Task Put_NotAllowed()
    {
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await SendAsync(HttpMethod.Put)).Code);
    }

    private async Task<(HttpStatusCode Code, string Body)> SendAsync(HttpMethod method, string path = "/drain")
    {
        using var response = await Eventually.Within(Http.SendAsync(new HttpRequestMessage(method, $"http://127.0.0.1:{_admin.Port}{path}")));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
