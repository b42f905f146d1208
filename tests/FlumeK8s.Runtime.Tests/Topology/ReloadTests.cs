using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sources.Seq;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Topology;

public sealed class ReloadTests : IAsyncLifetime
{
    private const string Buffering = """
        a1.sources = r1
        a1.channels = c1
        a1.sources.r1.type = seq
        a1.sources.r1.totalEvents = 50
        a1.sources.r1.batchSize = 10
        a1.sources.r1.channels = c1
        a1.channels.c1.type = memory
        a1.channels.c1.capacity = 100
        """;

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"flumek8s-reload-{Guid.NewGuid():N}.properties");
    private readonly MetricsRegistry _metrics = new();
    private readonly AgentHost _host;
    private readonly ConfigWatcher _watcher;
    private readonly ConfigLoader _loader;

    public ReloadTests()
    {
        var services = AgentServices.ForTests();
        _host = new AgentHost(services, _metrics);
        var loader = _loader = new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default);
        _watcher = new ConfigWatcher(_path, loader, _host, _metrics, TimeSpan.FromSeconds(1), services.Time, NullLogger.Instance);
    }

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_path, Buffering);
        await _host.ApplyAsync(_loader.Load(Buffering).Plan!, default);
        _watcher.Accept(Buffering);
        await Eventually.TrueAsync(() => _host.Channels["c1"].Counter.Size == 50, "50 events buffered");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_path);
    }

    [Fact]
    public async Task Reload_ValidChange_KeepsChannelAndItsEvents()
    {
        var channel = _host.Channels["c1"];
        await File.WriteAllTextAsync(_path, Buffering.Replace("capacity = 100", "capacity = 500").Replace("totalEvents = 50", "totalEvents = 0"));
        Assert.True(await Eventually.Within(_watcher.CheckOnceAsync(default)));

        Assert.Same(channel, _host.Channels["c1"]);
        Assert.Equal(50, channel.Counter.Size);
        Assert.Equal(500, channel.Counter.Capacity);
        Assert.Equal(1, _metrics.ConfigReloadSuccesses);
    }

    [Fact]
    public async Task Reload_AddingASink_DrainsTheKeptEvents()
    {
        await File.WriteAllTextAsync(_path, Buffering.Replace("totalEvents = 50", "totalEvents = 0") + """

            a1.sinks = k1
            a1.sinks.k1.type = null
            a1.sinks.k1.channel = c1
            """);
        Assert.True(await Eventually.Within(_watcher.CheckOnceAsync(default)));
        await Eventually.TrueAsync(() => _metrics.Find("SINK.k1")?.Get("EventDrainSuccessCount") == 50, "the new sink to drain the kept events");
    }

    [Fact]
    public async Task Reload_InvalidChange_RejectedCountedAndOldTopologyKeepsRunning()
    {
        var plan = _host.Plan;
        await File.WriteAllTextAsync(_path, Buffering.Replace("type = seq", "type = nosuch").Replace("capacity = 100", "capacity = many"));
        Assert.False(await Eventually.Within(_watcher.CheckOnceAsync(default)));

        Assert.Same(plan, _host.Plan);
        Assert.Equal(1, _metrics.ConfigReloadFailures);
        Assert.Equal(50, _host.Channels["c1"].Counter.Size);
        Assert.IsType<SeqSource>(Assert.Single(_host.Sources));
        Assert.NotNull(_metrics.Find("SOURCE.r1"));

        // The same broken text is not retried every poll; a fixed one is applied.
        Assert.False(await _watcher.CheckOnceAsync(default));
        Assert.Equal(1, _metrics.ConfigReloadFailures);
        await File.WriteAllTextAsync(_path, Buffering.Replace("capacity = 100", "capacity = 200"));
        Assert.True(await Eventually.Within(_watcher.CheckOnceAsync(default)));
        Assert.Equal(200, _host.Channels["c1"].Counter.Capacity);
    }

    [Fact]
    public async Task Reload_RenamingAChannelNoSinkDrains_IsRefusedNamingChannelAndDepth()
    {
        var before = _host.Channels["c1"];
        var refused = await Assert.ThrowsAsync<ReloadRefusedException>(() => _host.ApplyAsync(_loader.Load(Buffering.Replace("c1", "c2")).Plan!, default));

        Assert.Contains("channel c1 (memory) still holds 50 events", refused.Message);
        Assert.Contains("no sink drains it", refused.Message);
        Assert.Same(before, _host.Channels["c1"]);
        Assert.False(_host.Channels.ContainsKey("c2"));
    }

    [Fact]
    public async Task Reload_RenamingAnEmptyChannel_ReplacesIt()
    {
        var drained = Buffering.Replace("totalEvents = 50", "totalEvents = 0") + """

            a1.sinks = k1
            a1.sinks.k1.type = null
            a1.sinks.k1.channel = c1
            """;
        await _host.ApplyAsync(_loader.Load(drained).Plan!, default);
        await Eventually.TrueAsync(() => _host.Channels["c1"].Counter.Size == 0, "c1 drained");
        await Eventually.Within(_host.ApplyAsync(_loader.Load(drained.Replace("c1", "c2")).Plan!, default));

        Assert.False(_host.Channels.ContainsKey("c1"));
        Assert.Equal(0, _host.Channels["c2"].Counter.Size);
        Assert.Null(_metrics.Find("CHANNEL.c1"));
    }
}
