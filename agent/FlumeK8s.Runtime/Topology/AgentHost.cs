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
/// Runs an agent's topology and swaps it for a new plan on reload. A swap stops sources, then
/// sinks; keeps every channel whose name and type are unchanged (with its events, new settings
/// applied in place); then starts channels, sinks and sources, in that order, so nothing is
/// produced before it can be consumed. If the new topology fails to start, the previous plan is
/// started again.
/// </summary>
public sealed partial class AgentHost(AgentServices services, MetricsRegistry metrics) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = services.Logs.CreateLogger<AgentHost>();
    private RunningTopology _current = RunningTopology.Empty;

    // The channels open right now; differs from _current's while a new topology is starting.
    private IReadOnlyDictionary<string, IChannel> _openChannels = new Dictionary<string, IChannel>();
    private volatile bool _draining;

    public IReadOnlyDictionary<string, IChannel> Channels => _current.Channels;

    public IReadOnlyList<ISource> Sources => [.. _current.Sources.Select(s => s.Source)];

    public IReadOnlyList<SinkRunner> SinkRunners => _current.SinkRunners;

    public TopologyPlan Plan => _current.Plan;

    /// <summary>True once shutdown began: readiness turns false so upstream tiers stop sending.</summary>
    public bool IsDraining => _draining;

    public async Task ApplyAsync(TopologyPlan plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = _current;
            await StopProducersAndConsumersAsync(previous, cancellationToken).ConfigureAwait(false);
            try
            {
                _current = await StartAsync(plan, previous.Channels, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && previous.Plan.Channels.Count > 0)
            {
                LogStartFailedRestoring(_logger, e);
                _current = await StartAsync(previous.Plan, _openChannels, cancellationToken).ConfigureAwait(false);
                throw;
            }
            LogApplied(_logger, plan.Sources.Count, plan.Channels.Count, plan.Sinks.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Graceful stop: sources stop accepting, sinks keep draining until the channels are empty or
    /// <paramref name="drainFor"/> passes, then everything stops and channels close.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan drainFor, CancellationToken cancellationToken)
    {
        _draining = true;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = _current;
            await StopSourcesAsync(running, cancellationToken).ConfigureAwait(false);
            await WaitForEmptyChannelsAsync(running, drainFor, cancellationToken).ConfigureAwait(false);
            await StopSinksAsync(running, cancellationToken).ConfigureAwait(false);
            foreach (var channel in running.Channels.Values)
            {
                await StopChannelAsync(channel, cancellationToken).ConfigureAwait(false);
            }
            _current = RunningTopology.Empty;
            _openChannels = _current.Channels;
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

    // A reload replaces sources and sinks, so their counters leave the registry; channels may stay.
    private async Task StopProducersAndConsumersAsync(RunningTopology running, CancellationToken cancellationToken)
    {
        await StopSourcesAsync(running, cancellationToken).ConfigureAwait(false);
        await StopSinksAsync(running, cancellationToken).ConfigureAwait(false);
        foreach (var (source, _) in running.Sources)
        {
            metrics.Unregister(source.Counter);
        }
        foreach (var sink in running.SinkRunners.SelectMany(r => r.Processor.Sinks))
        {
            metrics.Unregister(sink.Counter);
        }
    }

    // Last started, first stopped: sources in reverse order.
    private async Task StopSourcesAsync(RunningTopology running, CancellationToken cancellationToken)
    {
        foreach (var (source, runner) in running.Sources.Reverse())
        {
            await runner.StopAsync(cancellationToken).ConfigureAwait(false);
            source.Counter.MarkStopped(services.Time);
        }
    }

    private static async Task StopSinksAsync(RunningTopology running, CancellationToken cancellationToken)
    {
        foreach (var runner in running.SinkRunners)
        {
            await runner.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RunningTopology> StartAsync(TopologyPlan plan, IReadOnlyDictionary<string, IChannel> existing, CancellationToken cancellationToken)
    {
        var channels = await StartChannelsAsync(plan, existing, cancellationToken).ConfigureAwait(false);
        _openChannels = channels;
        var sinkRunners = BuildSinkRunners(plan, channels);
        var sources = BuildSources(plan, channels);
        var started = new List<ILifecycle>();
        try
        {
            foreach (var runner in sinkRunners)
            {
                await runner.StartAsync(cancellationToken).ConfigureAwait(false);
                started.Add(runner);
                foreach (var sink in runner.Processor.Sinks)
                {
                    metrics.Register(sink.Counter);
                }
            }
            foreach (var (source, runner) in sources)
            {
                await runner.StartAsync(cancellationToken).ConfigureAwait(false);
                started.Add(runner);
                source.Counter.MarkStarted(services.Time);
                metrics.Register(source.Counter);
            }
        }
        catch
        {
            started.Reverse();
            foreach (var component in started)
            {
                await component.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
        return new RunningTopology(plan, channels, sinkRunners, sources);
    }

    private async Task<Dictionary<string, IChannel>> StartChannelsAsync(TopologyPlan plan, IReadOnlyDictionary<string, IChannel> existing, CancellationToken cancellationToken)
    {
        var channels = new Dictionary<string, IChannel>(StringComparer.Ordinal);
        foreach (var definition in plan.Channels)
        {
            if (existing.TryGetValue(definition.Name, out var kept) && kept.Counter.ComponentType == definition.Type)
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
        }
        foreach (var (name, channel) in existing)
        {
            if (!channels.TryGetValue(name, out var replacement) || !ReferenceEquals(replacement, channel))
            {
                LogChannelRemoved(_logger, name, channel.Counter.Size);
                await StopChannelAsync(channel, cancellationToken).ConfigureAwait(false);
            }
        }
        return channels;
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
            runners.Add(new SinkRunner(definition.Name, processor, definition.Backoff, services.Time, _logger));
        }
        return runners;
    }

    private List<(ISource, ILifecycle)> BuildSources(TopologyPlan plan, Dictionary<string, IChannel> channels)
    {
        var sources = new List<(ISource, ILifecycle)>();
        foreach (var definition in plan.Sources)
        {
            var interceptors = definition.Interceptors.Select(i => i.Create(services)).ToList();
            var processor = new ChannelProcessor(definition.Selector(channels), interceptors);
            var source = definition.Plan.Create(new SourceBuild(definition.Name, definition.Type, processor, services));
            ILifecycle runner = source is IPollableSource pollable
                ? new PollableSourceRunner(pollable, definition.Backoff, services.Time, _logger)
                : source;
            sources.Add((source, runner));
        }
        return sources;
    }

    private async Task WaitForEmptyChannelsAsync(RunningTopology running, TimeSpan drainFor, CancellationToken cancellationToken)
    {
        var started = services.Time.GetTimestamp();
        while (running.Channels.Values.Any(c => c.Counter.Size > 0) && services.Time.GetElapsedTime(started) < drainFor)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), services.Time, cancellationToken).ConfigureAwait(false);
        }
        var left = running.Channels.Values.Sum(c => c.Counter.Size);
        if (left > 0)
        {
            LogDrainIncomplete(_logger, left);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topology running: {Sources} sources, {Channels} channels, {Sinks} sinks")]
    private static partial void LogApplied(ILogger logger, int sources, int channels, int sinks);

    [LoggerMessage(Level = LogLevel.Error, Message = "The new topology failed to start; starting the previous one again")]
    private static partial void LogStartFailedRestoring(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} keeps its current settings until the agent restarts")]
    private static partial void LogSettingsKept(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} was removed from the configuration with {Events} events in it")]
    private static partial void LogChannelRemoved(ILogger logger, string channel, long events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown grace period ended with {Events} events still in channels")]
    private static partial void LogDrainIncomplete(ILogger logger, long events);
}
