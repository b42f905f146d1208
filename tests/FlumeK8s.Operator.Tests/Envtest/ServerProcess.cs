using System.Collections.Concurrent;
using System.Diagnostics;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>
/// A long-running control-plane process (etcd, kube-apiserver, kube-controller-manager) whose last
/// lines of output are kept so a failure to start can say why.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 80;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lastLines = new();

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ServerProcess Start(string executable, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return new ServerProcess(Path.GetFileName(executable), CommandRunner.Start(info));
    }

    public string LastLines() => string.Join('\n', _lastLines);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Its state lives in a temp folder that is deleted next; there is nothing to shut down cleanly.
            _process.Kill(entireProcessTree: true);
        }
        using var stopped = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(stopped.Token);
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lastLines.Enqueue(line);
        while (_lastLines.Count > KeptLines && _lastLines.TryDequeue(out _))
        {
        }
    }
}
