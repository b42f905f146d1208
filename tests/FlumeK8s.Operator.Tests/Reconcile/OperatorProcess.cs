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

    public static OperatorProcess Start(string kubeconfig, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "flumek8s.dll"), "operator", "--kubeconfig", kubeconfig }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }
        return new OperatorProcess(Process.Start(info)!);
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
