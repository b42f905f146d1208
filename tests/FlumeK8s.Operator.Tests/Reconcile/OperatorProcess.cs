using System.Collections.Concurrent;
using System.Diagnostics;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>The real <c>flumek8s operator</c> process against the test control plane, its log captured.</summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private OperatorProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Output => [.. _output];

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The kernel's high-water mark of the process's resident memory, in bytes.</summary>
    public long PeakRssBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Starts the operator; its metrics and probes on a port the system chooses (several run at once).</summary>
    public static OperatorProcess Start(string kubeconfig, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "flumek8s.dll"), "operator", "--kubeconfig", kubeconfig, "--metrics-port", "0" }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }
        return new OperatorProcess(Process.Start(info)!);
    }

    /// <summary>GET on the operator's endpoint (/metrics, /healthz, /readyz), once it logged its port.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        var port = await Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                var line = _output.FirstOrDefault(l => l.Contains("metrics and probes on port ", StringComparison.Ordinal));
                if (line is not null)
                {
                    return int.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the operator never logged its metrics port:\n{string.Join('\n', _output)}");
                }
                await Task.Delay(100);
            }
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
