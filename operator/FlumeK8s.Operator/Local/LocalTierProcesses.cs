using System.Globalization;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// The processes of a plan as one unit: their folders, configurations and input files written; started
/// downstream first (stores, collectors, then agents, each tier ready before the next starts, so no hop
/// sink begins against a tier that is not listening); stopped sources first (agents, collectors, stores),
/// each with SIGTERM so it drains. <c>local up</c> runs its tiers with it, and so does the pipeline benchmark.
/// </summary>
internal sealed class LocalTierProcesses : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly LocalPlan _plan;
    private readonly TimeProvider _time;

    public LocalTierProcesses(LocalPlan plan, AgentExecutable agent, TimeProvider time)
    {
        _plan = plan;
        _time = time;
        Processes = plan.Processes.OrderBy(p => p.Stage).Select(p => new LocalAgentProcess(p, agent)).ToList();
    }

    /// <summary>In tier order: agents, collectors, stores.</summary>
    public IReadOnlyList<LocalAgentProcess> Processes { get; }

    /// <summary>The processes whose output is where delivered events are counted (the last tiers).</summary>
    public IEnumerable<LocalAgentProcess> Last => Processes.Where(p => _plan.OutputDirectories.Count == 0 ? p.Spec.Stage == 2 : p.Spec.Outputs.Any(_plan.OutputDirectories.Contains));

    /// <summary>How long a process may take to serve after it started (a file channel may be replaying).</summary>
    public static TimeSpan StartTimeout => ReadyTimeout;

    /// <summary>Writes every process's folders and configuration, and an empty input file for each one that tails.</summary>
    public void Prepare()
    {
        foreach (var spec in _plan.Processes)
        {
            Directory.CreateDirectory(spec.Directory);
            foreach (var folder in spec.Folders)
            {
                Directory.CreateDirectory(folder);
            }
            File.WriteAllText(spec.ConfigFile, spec.Config);
            if (spec.InputFile is { } input)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(input)!);
                File.WriteAllBytes(input, []);
            }
        }
    }

    /// <summary>
    /// Starts the tiers downstream first, each ready before the next; <paramref name="poll"/> is given the
    /// phase after every round of readiness checks. Null when all serve, else what went wrong.
    /// </summary>
    public async Task<string?> StartAllAsync(Func<string, Task> poll, CancellationToken stop)
    {
        foreach (var stage in Processes.GroupBy(p => p.Spec.Stage).OrderByDescending(g => g.Key))
        {
            foreach (var process in stage)
            {
                process.Start();
            }
            var phase = $"starting {string.Join(", ", stage.Select(p => p.Spec.TierName).Distinct())}";
            var started = _time.GetTimestamp();
            var waiting = stage.ToList();
            while (waiting.Count > 0)
            {
                if (waiting.FirstOrDefault(p => p.Failed) is { } failed)
                {
                    return Failure(failed, "while starting");
                }
                if (_time.GetElapsedTime(started) > ReadyTimeout)
                {
                    return $"{waiting[0].Spec.Pod} was not ready within {ReadyTimeout.TotalSeconds:F0} s; the end of {waiting[0].Spec.LogFile}:\n{waiting[0].LogTail(20)}";
                }
                var ready = await Task.WhenAll(waiting.Select(p => ReadyAsync(p, stop)));
                waiting = waiting.Where((_, i) => !ready[i]).ToList();
                await poll(phase);
                if (waiting.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _time, stop);
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Sources first: the agents stop reading and drain into the collectors, which drain into the stores,
    /// which drain into their sinks; <paramref name="poll"/> is given the phase every half second meanwhile.
    /// Not cancellable: it runs after Ctrl+C, and every wait in it is bounded by a process's grace (then SIGKILL).
    /// </summary>
    public async Task StopAllAsync(Func<string, Task> poll)
    {
        foreach (var stage in Processes.GroupBy(p => p.Spec.Stage).OrderBy(g => g.Key))
        {
            var phase = $"stopping {string.Join(", ", stage.Select(p => p.Spec.TierName).Distinct())}";
            var stopping = Task.WhenAll(stage.Select(p => p.StopAsync(
                TimeSpan.FromSeconds(p.Spec.Tier.Spec.Pod.ShutdownGraceSeconds + 10), CancellationToken.None)));
            while (!stopping.IsCompleted)
            {
                await poll(phase);
                await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(500), _time, CancellationToken.None));
            }
            await stopping;
        }
    }

    /// <summary>The first process that ended without being told to, with the end of its log; null when none did.</summary>
    public string? FailureWhile(string when) => Processes.FirstOrDefault(p => p.Failed) is { } failed ? Failure(failed, when) : null;

    /// <summary>Whether the process's admin endpoint says it is ready (false while it is not listening yet or too busy to answer).</summary>
    public static async Task<bool> ReadyAsync(LocalAgentProcess process, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(string.Create(CultureInfo.InvariantCulture, $"http://{LocalPlacement.Loopback}:{process.Spec.AdminPort}/readyz"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException or IOException)
        {
            return false; // Not listening yet.
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // Timed out: still busy starting (a file channel replaying).
        }
    }

    public void Dispose()
    {
        foreach (var process in Processes)
        {
            process.Dispose();
        }
    }

    private static string Failure(LocalAgentProcess process, string when) =>
        $"{process.Spec.Pod} exited with code {process.ExitCode} {when}; the end of {process.Spec.LogFile}:\n{process.LogTail(20)}";
}
