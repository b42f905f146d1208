using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Tests.Support;
using FlumeK8s.Runtime.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Topology;

/// <summary>
/// Draining on request, before a scale-down: sources stop and stay stopped (across reloads too),
/// sinks empty the channels, a cancel starts the sources again, and nothing is lost on the way.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    // 50 events wait in c1 because its sink's next tier is down (the gate is closed).
    private static readonly string Holding = GatedFlow.Config(50, capacity: 200);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"flumek8s-drain-{Guid.NewGuid():N}.properties");
    private readonly DeliveryGate _gate = new();
    private readonly TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MetricsRegistry _metrics = new();
    private readonly AgentHost _host;
    private readonly ConfigLoader _loader;
    private readonly ConfigWatcher _watcher;

    public DrainTests()
    {
        var services = AgentServices.ForTests();
        _host = new AgentHost(services, _metrics, drainTime: TimeSpan.FromSeconds(10));
        _loader = GatedFlow.Loader(_gate, PendingAckSink.Type(_acknowledged.Task));
        _watcher = new ConfigWatcher(_path, _loader, _host, _metrics, TimeSpan.FromSeconds(1), services.Time, NullLogger.Instance);
    }

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_path, Holding);
        await _host.ApplyAsync(_loader.Load(Holding).Plan!, default);
        _watcher.Accept(Holding);
        await Eventually.TrueAsync(() => _host.Channels["c1"].EventsHeld == 50, "50 events held");
    }

    public async Task DisposeAsync()
    {
        _gate.IsOpen = true;
        _acknowledged.TrySetResult();
        await _host.DisposeAsync();
        File.Delete(_path);
    }

    [Fact]
    public async Task Drain_StopsSourcesKeepsSinks_EmptyOnceEverythingIsDelivered()
    {
        var status = await Eventually.Within(_host.DrainAsync(default));

        Assert.Empty(_host.Sources);
        Assert.Null(_metrics.Find("SOURCE.r1"));
        Assert.True(_host.IsDraining);
        Assert.Equal((true, false, 50L), (status.Draining, status.Empty, status.Events));
        Assert.Equal(50, status.Channels["c1"]);

        _gate.IsOpen = true;
        await Eventually.TrueAsync(() => _host.DrainStatus.Empty, "the drain to finish");
        Assert.Equal(50, _gate.Delivered);
        Assert.Equal(0, _host.DrainStatus.Events);
        Assert.True(_host.DrainStatus.Draining, "a drained agent stays draining until stopped or cancelled");
    }

    [Fact]
    public async Task Drain_Twice_SameStateAndNoError()
    {
        await Eventually.Within(_host.DrainAsync(default));
        var again = await Eventually.Within(_host.DrainAsync(default));

        Assert.True(again.Draining);
        Assert.Equal(50, again.Events);
        Assert.Empty(_host.Sources);
    }

    [Fact]
    public async Task NotDraining_StatusShowsDepthsAndIsNeverEmpty()
    {
        var status = _host.DrainStatus;
        Assert.Equal((false, false, 50L), (status.Draining, status.Empty, status.Events));
        Assert.Equal(50, status.Channels["c1"]);

        _gate.IsOpen = true;
        await Eventually.TrueAsync(() => _host.DrainStatus.Events == 0, "the sink to deliver");
        Assert.False(_host.DrainStatus.Empty, "without a drain the sources may put more at any moment");
    }

    [Fact]
    public async Task CancelDrain_StartsTheSourcesAgain_NothingLost()
    {
        var channel = _host.Channels["c1"];
        await Eventually.Within(_host.DrainAsync(default));

        var status = await Eventually.Within(_host.CancelDrainAsync(default));

        Assert.False(status.Draining);
        Assert.False(_host.IsDraining);
        Assert.Single(_host.Sources);
        Assert.Same(channel, _host.Channels["c1"]);
        // A new seq source counts from the start again: 50 more.
        await Eventually.TrueAsync(() => channel.EventsHeld == 100, "the restarted source to put 50 more");
        Assert.False((await Eventually.Within(_host.CancelDrainAsync(default))).Draining);
        Assert.Single(_host.Sources);
    }

    [Fact]
    public async Task Reload_WhileDraining_AppliesTheRestButKeepsTheSourcesStopped()
    {
        var channel = _host.Channels["c1"];
        await Eventually.Within(_host.DrainAsync(default));
        var twoSources = Holding.Replace("a1.sources = r1", "a1.sources = r1 r2").Replace("capacity = 200", "capacity = 300") + """

            a1.sources.r2.type = seq
            a1.sources.r2.totalEvents = 5
            a1.sources.r2.channels = c1
            """;
        await File.WriteAllTextAsync(_path, twoSources);

        Assert.True(await Eventually.Within(_watcher.CheckOnceAsync(default)));

        Assert.Equal(300, channel.Counter.Capacity);
        Assert.Same(channel, _host.Channels["c1"]);
        Assert.Empty(_host.Sources);
        Assert.True(_host.DrainStatus.Draining);
        Assert.Equal(50, channel.EventsHeld);

        await Eventually.Within(_host.CancelDrainAsync(default));
        Assert.Equal(2, _host.Sources.Count);
        await Eventually.TrueAsync(() => channel.EventsHeld == 105, "both sources of the new plan to run");
    }

    [Fact]
    public async Task RefusedReload_WhileDraining_KeepsTheSourcesStopped()
    {
        await Eventually.Within(_host.DrainAsync(default));
        await File.WriteAllTextAsync(_path, Holding.Replace("c1", "c2"));

        Assert.False(await Eventually.Within(_watcher.CheckOnceAsync(default)));

        Assert.Empty(_host.Sources);
        Assert.Equal(50, _host.Channels["c1"].EventsHeld);
        Assert.True(_host.IsDrainRequested);
    }

    [Fact]
    public async Task Shutdown_WhileDraining_StopsNormallyAndStartsNothingAgain()
    {
        await Eventually.Within(_host.DrainAsync(default));
        _gate.IsOpen = true;

        Assert.Equal(0, await Eventually.Within(_host.ShutdownAsync(TimeSpan.FromSeconds(10), default)));

        Assert.Equal(50, _gate.Delivered);
        Assert.Empty(_host.Channels);
        Assert.False(_host.DrainStatus.Empty, "a stopped agent does not report a drain it can no longer vouch for");
        await Eventually.Within(_host.CancelDrainAsync(default));
        Assert.Empty(_host.Sources);
    }

    [Fact]
    public async Task Drain_BatchAwaitingItsAcknowledgement_NotEmptyUntilAcknowledged()
    {
        const string awaiting = """
            a1.sources = r1
            a1.channels = c9
            a1.sinks = k9
            a1.sources.r1.type = seq
            a1.sources.r1.totalEvents = 5
            a1.sources.r1.batchSize = 5
            a1.sources.r1.channels = c9
            a1.channels.c9.type = memory
            a1.sinks.k9.type = pending-ack
            a1.sinks.k9.channel = c9
            """;
        _gate.IsOpen = true; // so the reload can empty c1, which it drops
        await Eventually.Within(_host.ApplyAsync(_loader.Load(awaiting).Plan!, default));
        var channel = _host.Channels["c9"];
        await Eventually.TrueAsync(() => _metrics.Find("SINK.k9")?.Get("EventDrainAttemptCount") == 5, "the sink to take the batch");
        await Eventually.Within(_host.DrainAsync(default));

        var status = _host.DrainStatus;
        Assert.Equal(0, channel.Counter.Size);
        Assert.Equal((true, false, 5L), (status.Draining, status.Empty, status.Events));

        _acknowledged.SetResult();
        await Eventually.TrueAsync(() => _host.DrainStatus.Empty, "the acknowledged batch to commit");
    }
}
