using FlumeK8s.Operator.Tiers;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// Runs a plan: writes the configurations, starts the tiers downstream first (stores, collectors, then
/// agents, each tier ready before the next), feeds the agents' log files, watches every process's
/// metrics, kills collectors on <c>--kill-every</c>, and stops when asked (or, with <c>--events</c>,
/// once every event reached the last tier or the deadline passed): sources first, tier by tier
/// (agents, collectors, stores), each process with SIGTERM so it drains.
/// </summary>
internal sealed class LocalRun
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly LocalUpArguments _arguments;
    private readonly TimeProvider _time;
    private readonly LocalTierProcesses _tiers;
    private readonly IReadOnlyList<LocalAgentProcess> _processes;
    private readonly Dictionary<LocalAgentProcess, ProcessCounters> _counters;
    private readonly DeliveredEventsReader _reader;
    private readonly LogGenerator? _generator;
    private long _start;
    private string _phase = "starting";
    private long? _delivered;
    private DateTimeOffset? _lastDelivery;
    private double _endToEnd;

    public LocalRun(LocalPlan plan, LocalUpArguments arguments, AgentExecutable agent, TimeProvider time)
    {
        _arguments = arguments;
        _time = time;
        _tiers = new LocalTierProcesses(plan, agent, time);
        _processes = _tiers.Processes;
        _counters = _processes.ToDictionary(p => p, _ => new ProcessCounters());
        _reader = new DeliveredEventsReader(plan.OutputDirectories);
        var inputs = plan.InputFiles.ToList();
        _generator = inputs.Count > 0 ? new LogGenerator(inputs, arguments.Rate, arguments.Events, time) : null;
    }

    public LogGenerator? Generator => _generator;

    public DeliveredEventsReader Reader => _reader;

    public IReadOnlyList<LocalAgentProcess> Processes => _processes;

    /// <summary>Seconds from the first generated event to the last one counted as delivered.</summary>
    public double DeliverySeconds => _generator?.Started is { } started && _lastDelivery is { } last ? (last - started).TotalSeconds : 0;

    public async Task<RunOutcome> RunAsync(IProgressView view, CancellationToken stop)
    {
        _tiers.Prepare();
        _start = _time.GetTimestamp();
        var outcome = new RunOutcome(null, false, false);
        try
        {
            await view.RunAsync(async update =>
            {
                outcome = await LifecycleAsync(update, stop);
            });
        }
        finally
        {
            _tiers.Dispose();
        }
        if (_arguments.Events is not null)
        {
            _reader.Scan(final: true);
        }
        return outcome;
    }

    private async Task<RunOutcome> LifecycleAsync(Action<RunStatus> update, CancellationToken stop)
    {
        string? failure = null;
        var timedOut = false;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var background = new List<Task>();
        try
        {
            failure = await _tiers.StartAllAsync(phase => PollAsync(phase, update, stop), stop);
            if (failure is null && !stop.IsCancellationRequested)
            {
                _phase = "running";
                if (_generator is not null)
                {
                    background.Add(_generator.RunAsync(running.Token));
                }
                if (_arguments.KillEvery is { } every)
                {
                    background.Add(KillCollectorsAsync(every, running.Token));
                }
                (failure, timedOut) = await MonitorAsync(update, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C while starting: stop what runs.
        }
        await running.CancelAsync();
        foreach (var task in background)
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }
        }
        await StopAllAsync(update);
        return new RunOutcome(failure, stop.IsCancellationRequested && failure is null, timedOut);
    }

    private async Task<(string? Failure, bool TimedOut)> MonitorAsync(Action<RunStatus> update, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (_tiers.FailureWhile("while running") is { } failure)
                {
                    return (failure, false);
                }
                if (_arguments.Events is { } expected)
                {
                    _reader.Scan();
                    var delivered = DeliveryTally.Of(_reader.Seqs, expected).Delivered;
                    if (delivered != _delivered)
                    {
                        _lastDelivery = _time.GetUtcNow();
                    }
                    _delivered = delivered;
                }
                await ScrapeAsync(update, stop);
                if (_arguments.Events is { } total && _delivered == total)
                {
                    return (null, false);
                }
                if (_arguments.Events is not null && _time.GetElapsedTime(_start) > _arguments.Deadline)
                {
                    return (null, true);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the normal way to end an unbounded run.
        }
        return (null, false);
    }

    private async Task KillCollectorsAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        var collectors = _processes.Where(p => p.Spec.Tier.Kind == TierKind.CollectorTier).ToList();
        var random = new Random();
        while (true)
        {
            await Task.Delay(every, _time, cancellationToken);
            var victim = collectors[random.Next(collectors.Count)];
            if (victim.IsRunning)
            {
                await victim.KillAndRestartAsync(cancellationToken);
                await UntilReadyAgainAsync(victim, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The next interval starts when the restarted collector serves again: on a busy machine a
    /// restart can take longer than the interval, and kills faster than restarts would leave no
    /// collector up, which shows nothing about losing data.
    /// </summary>
    private async Task UntilReadyAgainAsync(LocalAgentProcess process, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (process.IsRunning && _time.GetElapsedTime(started) < LocalTierProcesses.StartTimeout && !await LocalTierProcesses.ReadyAsync(process, cancellationToken))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }
    }

    private async Task StopAllAsync(Action<RunStatus> update)
    {
        await _tiers.StopAllAsync(phase => PollAsync(phase, update, CancellationToken.None));
        _phase = "stopped";
        update(Status());
    }

    private Task PollAsync(string phase, Action<RunStatus> update, CancellationToken cancellationToken)
    {
        _phase = phase;
        return ScrapeAsync(update, cancellationToken);
    }

    private async Task ScrapeAsync(Action<RunStatus> update, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        await Task.WhenAll(_processes.Select(p => _counters[p].RefreshAsync(p, Http, now, _time, cancellationToken)));
        _endToEnd = _tiers.Last.Sum(p => _counters[p].OutRate);
        update(Status());
    }

    private RunStatus Status() => new(
        _phase,
        _time.GetElapsedTime(_start),
        _processes.Select(p => new ProcessStatus(p.Spec.TierName, p.Spec.Tier.Kind, p.Spec.Pod, State(p), p.Spec.HopPort, _counters[p].Total, _counters[p].OutRate, p.Kills)).ToList(),
        _generator?.Generated ?? 0,
        _arguments.Events,
        _delivered,
        _endToEnd,
        _processes.Sum(p => p.Kills));

    private static string State(LocalAgentProcess process) => process switch
    {
        { Failed: true } => $"failed ({process.ExitCode})",
        { IsRunning: true } => "running",
        { Starts: 0 } => "not started",
        _ => "stopped",
    };
}
