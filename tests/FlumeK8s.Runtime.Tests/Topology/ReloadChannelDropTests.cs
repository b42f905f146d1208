using System.Net;
using System.Net.Sockets;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Topology;

/// <summary>
/// Reloads that drop, rename or retype a channel holding events, and reloads that fail to start:
/// no acknowledged event may be lost and a failed reload leaves the running topology as it was.
/// </summary>
public sealed class ReloadChannelDropTests : IAsyncLifetime
{
    // 50 events wait in c1 because its sink's next tier is down (the gate is closed).
    private static readonly string Holding = GatedFlow.Config(50);

    private static readonly string Renamed = Holding.Replace("c1", "c2").Replace("totalEvents = 50", "totalEvents = 0");

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"flumek8s-reload-{Guid.NewGuid():N}.properties");
    private readonly DeliveryGate _gate = new();
    private readonly MetricsRegistry _metrics = new();
    private readonly AgentHost _host;
    private readonly ConfigLoader _loader;
    private readonly ConfigWatcher _watcher;

    public ReloadChannelDropTests()
    {
        var services = AgentServices.ForTests();
        _host = new AgentHost(services, _metrics, drainTime: TimeSpan.FromSeconds(10));
        _loader = GatedFlow.Loader(_gate);
        _watcher = new ConfigWatcher(_path, _loader, _host, _metrics, TimeSpan.FromSeconds(1), services.Time, NullLogger.Instance);
    }

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_path, Holding);
        await _host.ApplyAsync(_loader.Load(Holding).Plan!, default);
        _watcher.Accept(Holding);
        await Eventually.TrueAsync(() => _metrics.Find("SOURCE.r1")?.Get("EventAcceptedCount") == 50, "50 events accepted");
    }

    public async Task DisposeAsync()
    {
        _gate.IsOpen = true;
        await _host.DisposeAsync();
        File.Delete(_path);
    }

    [Fact]
    public async Task Rename_WhileItsSinksCannotDeliver_IsRefusedKeepsEverythingAndIsRetried()
    {
        var channel = _host.Channels["c1"];
        await File.WriteAllTextAsync(_path, Renamed);

        Assert.False(await Eventually.Within(_watcher.CheckOnceAsync(default)));

        Assert.Same(channel, _host.Channels["c1"]);
        Assert.True(channel.Counter.Size >= 50, $"c1 holds {channel.Counter.Size}");
        Assert.False(_host.Channels.ContainsKey("c2"));
        Assert.Equal(1, _metrics.ConfigReloadFailures);
        Assert.NotNull(_metrics.Find("SOURCE.r1"));
        Assert.NotNull(_metrics.Find("CHANNEL.c1"));

        // The same text is tried again at the next poll; once the next tier is back it applies,
        // after the old sink delivered what c1 held.
        Assert.False(await Eventually.Within(_watcher.CheckOnceAsync(default)));
        Assert.Equal(2, _metrics.ConfigReloadFailures);
        _gate.IsOpen = true;
        Assert.True(await Eventually.Within(_watcher.CheckOnceAsync(default)));
        Assert.True(_gate.Delivered >= 50, $"{_gate.Delivered} delivered");
        Assert.False(_host.Channels.ContainsKey("c1"));
        Assert.Equal(0, _host.Channels["c2"].Counter.Size);
    }

    [Fact]
    public async Task Retype_WhileItsSinksRecover_DrainsTheOldChannelThenApplies()
    {
        var retyped = Holding.Replace("c1.type = memory", "c1.type = spillablememory").Replace("totalEvents = 50", "totalEvents = 0")
            + $"\na1.channels.c1.checkpointDir = {Path.Combine(Path.GetTempPath(), $"flumek8s-cp-{Guid.NewGuid():N}")}"
            + $"\na1.channels.c1.dataDirs = {Path.Combine(Path.GetTempPath(), $"flumek8s-data-{Guid.NewGuid():N}")}";
        await File.WriteAllTextAsync(_path, retyped);

        var reload = _watcher.CheckOnceAsync(default);
        await Task.Delay(500);
        Assert.False(reload.IsCompleted, "the reload waits for the old sink while it is making no progress yet");
        _gate.IsOpen = true;

        Assert.True(await Eventually.Within(reload));
        Assert.Equal(50, _gate.Delivered);
        Assert.Equal("spillablememory", _host.Channels["c1"].Counter.ComponentType);
    }

    [Fact]
    public async Task FailedStart_LeavesThePreviousTopologyAsItWas()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var channel = _host.Channels["c1"];
        var plan = _host.Plan;
        var failing = Holding.Replace("capacity = 100", "capacity = 500").Replace("a1.sources = r1", "a1.sources = r1 r2")
            .Replace("a1.channels = c1", "a1.channels = c1 c3") + $"""

            a1.sources.r2.type = netcat
            a1.sources.r2.bind = 127.0.0.1
            a1.sources.r2.port = {port}
            a1.sources.r2.channels = c3
            a1.channels.c3.type = memory
            a1.sinks = k1 k3
            a1.sinks.k3.type = null
            a1.sinks.k3.channel = c3
            """;
        await File.WriteAllTextAsync(_path, failing);

        Assert.False(await Eventually.Within(_watcher.CheckOnceAsync(default)));

        Assert.Same(plan, _host.Plan);
        Assert.Same(channel, _host.Channels["c1"]);
        Assert.True(channel.Counter.Size >= 50, $"c1 holds {channel.Counter.Size}");
        Assert.Equal(100, channel.Counter.Capacity);
        Assert.Null(_metrics.Find("CHANNEL.c3"));
        Assert.Null(_metrics.Find("SOURCE.r2"));
        Assert.Null(_metrics.Find("SINK.k3"));
        Assert.NotNull(_metrics.Find("SINK.k1"));
        _gate.IsOpen = true;
        await Eventually.TrueAsync(() => channel.Counter.Size == 0, "the previous sink to drain c1 again");
    }
}
