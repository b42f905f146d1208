using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlumeK8s.Agent.Tests;

/// <summary>The real flumek8s-agent executable, started as a child process, with its output captured.</summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Example(string relative) => Path.Combine(RepositoryRoot, "examples", relative);

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public IReadOnlyList<string> Stderr => [.. _stderr];

    public int AdminPort { get; private set; }

    public int Pid => _process.Id;

    public static AgentProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "flumek8s-agent.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return new AgentProcess(Process.Start(info)!);
    }

    /// <summary>Starts the agent with an admin port chosen by the OS and waits until it serves.</summary>
    public static async Task<AgentProcess> StartReadyAsync(params string[] args)
    {
        var agent = Start([.. args, "--http-port", "0", "--http-bind", "127.0.0.1"]);
        await agent.WaitForOutputAsync(StartedLine(), "the agent to start");
        agent.AdminPort = int.Parse(StartedLine().Match(string.Join('\n', agent.Stdout)).Groups[1].Value);
        return agent;
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async Task WaitForOutputAsync(Regex pattern, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!_stdout.Any(pattern.IsMatch))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited && !_stdout.Any(pattern.IsMatch))
            {
                await Task.Delay(200);
                throw new TimeoutException($"Waiting for {what}; agent output:\n{string.Join('\n', Stdout)}\n{string.Join('\n', Stderr)}");
            }
            await Task.Delay(20);
        }
    }

    public async Task<JsonElement> MetricsAsync() =>
        JsonDocument.Parse(await Http.GetStringAsync($"http://127.0.0.1:{AdminPort}/metrics")).RootElement;

    public async Task<long> CounterAsync(string component, string attribute)
    {
        var metrics = await MetricsAsync();
        return metrics.TryGetProperty(component, out var c) && c.TryGetProperty(attribute, out var v) ? long.Parse(v.GetString()!) : -1;
    }

    /// <summary>The agent's resident memory now: VmRSS from /proc/&lt;pid&gt;/status.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/{_process.Id}/status has no VmRSS line");
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync($"http://127.0.0.1:{AdminPort}{path}");

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) =>
        Http.SendAsync(new HttpRequestMessage(method, $"http://127.0.0.1:{AdminPort}{path}"));

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
        }
    }

    /// <summary>
    /// SIGSTOP, returning once every thread has stopped: kill() only queues the signal, and a thread
    /// still running could answer one more request.
    /// </summary>
    public async Task FreezeAsync()
    {
        Signal(SigStop);
        await Poll.UntilAsync(() => Task.FromResult(Directory.EnumerateDirectories($"/proc/{_process.Id}/task").All(IsStopped)), "the process to stop");

        static bool IsStopped(string task)
        {
            try
            {
                // The state follows the command name in parentheses: T (stopped) or t (traced).
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                return stat[stat.LastIndexOf(')') + 2] is 'T' or 't';
            }
            catch (IOException)
            {
                return true; // the thread ended
            }
        }
    }

    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigStop = 19;
    public const int SigCont = 18;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"admin endpoint on port (\d+)")]
    private static partial Regex StartedLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FlumeK8s.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("FlumeK8s.sln not found above the test folder");
    }
}
