using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FlumeK8s.Bench;

/// <summary>The real flumek8s-agent process, watched through its admin endpoint and /proc.</summary>
internal sealed partial class AgentUnderTest : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Process _process;
    private readonly string _configPath;

    private AgentUnderTest(Process process, string configPath, int adminPort)
    {
        _process = process;
        _configPath = configPath;
        AdminPort = adminPort;
    }

    public int AdminPort { get; }

    public static async Task<AgentUnderTest> StartAsync(string config)
    {
        var path = Path.Combine(Path.GetTempPath(), $"flumek8s-bench-{Guid.NewGuid():N}.properties");
        await File.WriteAllTextAsync(path, config);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "flumek8s-agent.dll"), "-n", "a1", "-f", path, "--no-reload-conf", "--http-port", "0", "--http-bind", "127.0.0.1" })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var match = StartedLine().Match(line);
            if (match.Success)
            {
                var agent = new AgentUnderTest(process, path, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                _ = DrainAsync(process.StandardOutput);
                return agent;
            }
        }
        throw new InvalidOperationException("the agent exited before it started");
    }

    /// <summary>Reads the Prometheus exposition and returns one sample's value.</summary>
    public async Task<double> SampleAsync(string metricWithLabels)
    {
        var text = await GetStringAsync("/metrics/prometheus");
        foreach (var line in text.Split('\n'))
        {
            // A sample without labels may be written with empty braces: "name{} 42".
            var sample = line.Replace("{} ", " ", StringComparison.Ordinal);
            if (sample.StartsWith(metricWithLabels + " ", StringComparison.Ordinal))
            {
                return double.Parse(sample[(metricWithLabels.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    public Task<string> GetStringAsync(string path) => Http.GetStringAsync($"http://127.0.0.1:{AdminPort}{path}");

    /// <summary>The kernel's high-water mark of the process's resident memory.</summary>
    public long PeakRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    /// <summary>CPU time (user + system) the process has used so far, from /proc.</summary>
    public double CpuSeconds() => ProcStat.CpuSeconds(_process.Id);

    /// <summary>SIGKILL: the process dies at once, as in a crash.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_configPath);
    }

    private static async Task DrainAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is not null)
        {
        }
    }

    [GeneratedRegex(@"admin endpoint on port (\d+)")]
    private static partial Regex StartedLine();
}
