using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Processors;
using FlumeK8s.Runtime.Runners;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Topology;

/// <summary>
/// Runs an agent's topology and swaps it for a new plan on reload. A swap stops sources; lets the
/// old sinks empty every channel the new plan removes, renames or retypes (or refuses the reload,
/// keeping the old topology whole, if they cannot within the drain time); stops sinks; keeps every
/// channel whose name and type are unchanged (with its events, new settings applied in place); then
/// starts channels, sinks and sources, in that order, so nothing is produced before it can be
/// consumed. If the new topology fails to start, what it started is stopped (its new channels
/// drained first) and the previous plan runs again on the same channels. While a drain is asked for
/// (<see cref="DrainAsync"/>) every start leaves the sources out.
/// </summary>
public sealed partial class AgentHost(AgentServices services, MetricsRegistry metrics, TimeSpan? drainTime = null) : IAsyncDisposable
{
    /// <summary>
    /// How long, beyond a sink's own retry sleep, a reload waits for a dropped channel's sinks while
    /// they make no progress.
    /// </summary>
    public static readonly TimeSpan DrainStall = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = services.Logs.CreateLogger<AgentHost>();
    private readonly TimeSpan _drainTime = drainTime ?? TimeSpan.FromSeconds(25);
    private RunningTopology _current = RunningTopology.Empty;
    private volatile bool _stopping;
    private volatile string? _broken;

    public IReadOnlyDictionary<string, IChannel> Channels => _current.Channels;

    public IReadOnlyList<ISource> Sources => [.. _current.Sources.Select(s => s.Source)];

    public IReadOnlyList<SinkRunner> SinkRunners => _current.SinkRunners;

    public TopologyPlan Plan => _current.Plan;

    /// <summary>
    /// True while the sources are stopped, or about to be, so the sinks empty the channels: a drain
    /// was asked for, or shutdown began. Readiness turns false so upstream tiers stop sending.
    /// </summary>
    public bool IsDraining => _stopping || _drainRequested;

    /// <summary>True once shutdown began: nothing starts again.</summary>
    public bool IsStopping => _stopping;

    /// <summary>Null while the topology runs; otherwise why it could not be started again (liveness fails on it).</summary>
    public string? BrokenReason => _broken;

    public async Task ApplyAsync(TopologyPlan plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = _current;
            var retiring = previous.Channels.Values.Where(c => !Keeps(plan, c)).ToList();
            await StopSourcesAsync(previous.Sources, cancellationToken).ConfigureAwait(false);
            var refusal = await DrainRetiringAsync(previous, retiring, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                _current = previous with { Sources = await StartSourcesAsync(previous.Plan, previous.Channels, cancellationToken).ConfigureAwait(false) };
                throw new ReloadRefusedException(refusal);
            }
            await StopSinksAsync(previous.SinkRunners, cancellationToken).ConfigureAwait(false);
            Unregister(previous.Sources, previous.SinkRunners);
            foreach (var channel in retiring)
            {
                await StopChannelAsync(channel, cancellationToken).ConfigureAwait(false);
            }
            await RestartAsync(plan, previous.Plan, Without(previous.Channels, retiring), cancellationToken).ConfigureAwait(false);
            LogApplied(_logger, plan.Sources.Count, plan.Channels.Count, plan.Sinks.Count);
            if (_sourcesHeld)
            {
                LogSourcesHeld(_logger);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reopens every channel that failed in a way only reopening from its own files repairs (a file
    /// channel after a failed write: the disk was full). Its sources and sinks restart with it, as on
    /// a reload; the events it committed are recovered from its log. Returns the channels reopened.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReopenFailedChannelsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = _current;
            var failed = running.Channels.Values.Where(c => c.NeedsReopen).ToList();
            if (failed.Count == 0 || _stopping)
            {
                return [];
            }
            await StopSourcesAsync(running.Sources, cancellationToken).ConfigureAwait(false);
            await StopSinksAsync(running.SinkRunners, cancellationToken).ConfigureAwait(false);
            Unregister(running.Sources, running.SinkRunners);
            foreach (var channel in failed)
            {
                LogReopening(_logger, channel.Name, channel.UnhealthyReason ?? "");
                await StopChannelAsync(channel, cancellationToken).ConfigureAwait(false);
            }
            await RestartAsync(running.Plan, running.Plan, Without(running.Channels, failed), cancellationToken).ConfigureAwait(false);
            return [.. failed.Select(c => c.Name)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// After the drain time, how long a sink may still take to finish the batch it is sending, so a
    /// stop at the end of a busy drain does not roll back (and the next run send again) what the next
    /// tier may already hold. The pod's termination grace leaves room for it.
    /// </summary>
    public static readonly TimeSpan BatchFinishFloor = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Graceful stop: sources stop accepting, sinks keep draining until the channels are empty or
    /// <paramref name="drainFor"/> passes, then finish the batches they are sending (for what is left
    /// of the drain time, at least <see cref="BatchFinishFloor"/>), then everything stops and channels close.
    /// Returns the events the channels kept (a file channel has them on disk for the next start).
    /// </summary>
    public async Task<long> ShutdownAsync(TimeSpan drainFor, CancellationToken cancellationToken)
    {
        _stopping = true;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = _current;
            await StopSourcesAsync(running.Sources, cancellationToken).ConfigureAwait(false);
            var draining = services.Time.GetTimestamp();
            var left = await ChannelDrain.WaitAsync(running.Channels.Values, drainFor, stall: null, services.Time, cancellationToken).ConfigureAwait(false);
            if (left > 0)
            {
                LogDrainIncomplete(_logger, left);
            }
            // An empty channel says its last batch was taken, not that it was delivered: a sink may be
            // waiting for the next tier's acknowledgement. Cancelling it then would roll the take back,
            // the checkpoint would keep those events, and the next run would send them again.
            var finishWithin = drainFor <= TimeSpan.Zero ? TimeSpan.Zero
                : TimeSpan.FromTicks(Math.Max(BatchFinishFloor.Ticks, (drainFor - services.Time.GetElapsedTime(draining)).Ticks));
            await Task.WhenAll(running.SinkRunners.Select(r => r.StopAsync(finishWithin, cancellationToken))).ConfigureAwait(false);
            var kept = running.Channels.Values.Sum(c => c.EventsHeld);
            foreach (var channel in running.Channels.Values)
            {
                await StopChannelAsync(channel, cancellationToken).ConfigureAwait(false);
            }
            _current = RunningTopology.Empty;
            return kept;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_current.Plan.Channels.Count > 0)
        {
            await ShutdownAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }
        _gate.Dispose();
    }

    private static bool Keeps(TopologyPlan plan, IChannel channel) =>
        plan.Channels.Any(d => d.Name == channel.Name && d.Type == channel.Counter.ComponentType);

    private static Dictionary<string, IChannel> Without(IReadOnlyDictionary<string, IChannel> channels, List<IChannel> removed) =>
        channels.Where(c => !removed.Contains(c.Value)).ToDictionary(StringComparer.Ordinal);

    // Starts plan on the open channels. If it fails, fallback (the plan that ran before) starts on
    // them instead and the failure is rethrown; with nothing to fall back to, the host is broken.
    private async Task RestartAsync(TopologyPlan plan, TopologyPlan fallback, Dictionary<string, IChannel> open, CancellationToken cancellationToken)
    {
        try
        {
            _current = await StartAsync(plan, open, cancellationToken).ConfigureAwait(false);
            _broken = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (fallback.Channels.Count == 0 || ReferenceEquals(plan, fallback))
            {
                _broken = $"the topology could not be started: {e.Message}";
                _current = RunningTopology.Empty with { Channels = open };
                throw;
            }
            LogStartFailedRestoring(_logger, e);
            _current = await StartAsync(fallback, open, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    // Lets the old sinks empty the channels the new plan drops. Null when they did, else why not.
    private async Task<string?> DrainRetiringAsync(RunningTopology previous, List<IChannel> retiring, CancellationToken cancellationToken)
    {
        var holding = retiring.Where(c => c.EventsHeld > 0).ToList();
        if (holding.Count == 0)
        {
            return null;
        }
        var undrained = holding.FirstOrDefault(c => !previous.Plan.Sinks.Any(s => s.Channel == c.Name));
        if (undrained is null)
        {
            LogDrainingRetiring(_logger, string.Join(", ", holding.Select(c => $"{c.Name} ({c.EventsHeld})")));
            await ChannelDrain.WaitAsync(holding, _drainTime, Stall(previous.Plan), services.Time, cancellationToken).ConfigureAwait(false);
            undrained = holding.FirstOrDefault(c => c.EventsHeld > 0);
        }
        return undrained is null ? null :
            $"channel {undrained.Name} ({undrained.Counter.ComponentType}) still holds {undrained.EventsHeld} events and the new configuration " +
            $"removes, renames or retypes it; {(previous.Plan.Sinks.Any(s => s.Channel == undrained.Name) ? $"its sinks could not deliver them within {_drainTime.TotalSeconds:0} s" : "no sink drains it")}. " +
            "The running topology is kept; the reload is tried again at the next check";
    }

    // A failing sink sleeps its error backoff before it tries again: no progress for that long is
    // not yet a stall.
    private static TimeSpan Stall(TopologyPlan plan) => DrainStall + plan.Sinks.Select(s => s.Backoff)
        .Concat(plan.SinkGroups.Select(g => g.Backoff))
        .Select(b => b.OnError > b.Max ? b.OnError : b.Max)
        .DefaultIfEmpty(TimeSpan.Zero).Max();

    private async Task<RunningTopology> StartAsync(TopologyPlan plan, IReadOnlyDictionary<string, IChannel> open, CancellationToken cancellationToken)
    {
        var (channels, created) = await StartChannelsAsync(plan, open, cancellationToken).ConfigureAwait(false);
        var sinkRunners = new List<SinkRunner>();
        try
        {
            foreach (var runner in BuildSinkRunners(plan, channels))
            {
                await runner.StartAsync(cancellationToken).ConfigureAwait(false);
                sinkRunners.Add(runner);
                foreach (var sink in runner.Processor.Sinks)
                {
                    metrics.Register(sink.Counter);
                }
            }
            var sources = await StartSourcesAsync(plan, channels, cancellationToken).ConfigureAwait(false);
            return new RunningTopology(plan, channels, sinkRunners, sources);
        }
        catch
        {
            // Sources that started before the failing one may have put events into the new
            // channels: their sinks deliver them before those channels close.
            await ChannelDrain.WaitAsync(created, _drainTime, Stall(plan), services.Time, CancellationToken.None).ConfigureAwait(false);
            await StopSinksAsync(sinkRunners, CancellationToken.None).ConfigureAwait(false);
            Unregister([], sinkRunners);
            foreach (var channel in created)
            {
                if (channel.EventsHeld > 0)
                {
                    LogChannelClosedWithEvents(_logger, channel.Name, channel.EventsHeld);
                }
                await StopChannelAsync(channel, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
    }

    private async Task<(Dictionary<string, IChannel> All, List<IChannel> Created)> StartChannelsAsync(TopologyPlan plan, IReadOnlyDictionary<string, IChannel> open, CancellationToken cancellationToken)
    {
        var channels = new Dictionary<string, IChannel>(StringComparer.Ordinal);
        var created = new List<IChannel>();
        foreach (var definition in plan.Channels)
        {
            if (open.TryGetValue(definition.Name, out var kept) && kept.Counter.ComponentType == definition.Type)
            {
                if (kept is not IReconfigurableChannel reconfigurable || !reconfigurable.TryReconfigure(definition.Plan.Settings))
                {
                    LogSettingsKept(_logger, definition.Name);
                }
                channels[definition.Name] = kept;
                continue;
            }
            var channel = definition.Plan.Create(new ChannelBuild(definition.Name, definition.Type, services));
            await channel.StartAsync(cancellationToken).ConfigureAwait(false);
            channel.Counter.MarkStarted(services.Time);
            metrics.Register(channel.Counter);
            channels[definition.Name] = channel;
            created.Add(channel);
        }
        return (channels, created);
    }

    // Builds and starts the plan's sources, none while a drain holds them; if one fails, the ones
    // started are stopped again.
    private async Task<List<(ISource, ILifecycle)>> StartSourcesAsync(TopologyPlan plan, IReadOnlyDictionary<string, IChannel> channels, CancellationToken cancellationToken)
    {
        var started = new List<(ISource, ILifecycle)>();
        if (_sourcesHeld)
        {
            return started;
        }
        try
        {
            foreach (var definition in plan.Sources)
            {
                var interceptors = definition.Interceptors.Select(i => i.Create(services)).ToList();
                var processor = new ChannelProcessor(definition.Selector(channels), interceptors);
                var source = definition.Plan.Create(new SourceBuild(definition.Name, definition.Type, processor, services));
                ILifecycle runner = source is IPollableSource pollable
                    ? new PollableSourceRunner(pollable, definition.Backoff, services.Time, _logger)
                    : source;
                await runner.StartAsync(cancellationToken).ConfigureAwait(false);
                started.Add((source, runner));
                source.Counter.MarkStarted(services.Time);
                metrics.Register(source.Counter);
            }
            return started;
        }
        catch
        {
            await StopSourcesAsync(started, CancellationToken.None).ConfigureAwait(false);
            Unregister(started, []);
            throw;
        }
    }

    // Last started, first stopped: sources in reverse order.
    private async Task StopSourcesAsync(IEnumerable<(ISource Source, ILifecycle Runner)> sources, CancellationToken cancellationToken)
    {
        foreach (var (source, runner) in sources.Reverse())
        {
            await runner.StopAsync(cancellationToken).ConfigureAwait(false);
            source.Counter.MarkStopped(services.Time);
        }
    }

    private static async Task StopSinksAsync(IEnumerable<SinkRunner> runners, CancellationToken cancellationToken)
    {
        foreach (var runner in runners)
        {
            await runner.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Sources and sinks are rebuilt on every swap, so theirs leave the registry; a shutdown keeps
    // them for a last scrape.
    private void Unregister(IEnumerable<(ISource Source, ILifecycle Runner)> sources, IEnumerable<SinkRunner> sinkRunners)
    {
        foreach (var (source, _) in sources)
        {
            metrics.Unregister(source.Counter);
        }
        foreach (var sink in sinkRunners.SelectMany(r => r.Processor.Sinks))
        {
            metrics.Unregister(sink.Counter);
        }
    }

    private async Task StopChannelAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.StopAsync(cancellationToken).ConfigureAwait(false);
        channel.Counter.MarkStopped(services.Time);
        metrics.Unregister(channel.Counter);
    }

    private List<SinkRunner> BuildSinkRunners(TopologyPlan plan, Dictionary<string, IChannel> channels)
    {
        var sinks = plan.Sinks.ToDictionary(
            s => s.Name,
            s => s.Plan.Create(new SinkBuild(s.Name, s.Type, channels[s.Channel], services)),
            StringComparer.Ordinal);
        var runners = new List<SinkRunner>();
        var grouped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in plan.SinkGroups)
        {
            var processor = group.Processor([.. group.Sinks.Select(n => sinks[n])], services);
            runners.Add(new SinkRunner(group.Name, processor, group.Backoff, services.Time, _logger));
            grouped.UnionWith(group.Sinks);
        }
        foreach (var definition in plan.Sinks.Where(s => !grouped.Contains(s.Name)))
        {
            var processor = new DefaultSinkProcessor(sinks[definition.Name]);
            runners.Add(new SinkRunner(definition.Name, processor, definition.Backoff, services.Time, _logger, definition.BatchesInFlight));
        }
        return runners;
    }
}
