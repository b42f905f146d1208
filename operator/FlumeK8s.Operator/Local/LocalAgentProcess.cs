using System.Diagnostics;

namespace FlumeK8s.Operator.Local;

/// <summary>
/// One running agent process: started in a session of its own (so the terminal's Ctrl+C reaches only
/// flumek8s, which then stops the tiers in order), its output appended to its log file, stopped with
/// SIGTERM (it drains) or killed with SIGKILL and started again on the same ports and folders.
/// </summary>
internal sealed class LocalAgentProcess(LocalProcessSpec spec, AgentExecutable agent) : IDisposable
{
    // setsid(1) execs the agent in place when its caller is not a group leader, which a child of
    // Process.Start never is: the pid stays the agent's.
    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    private readonly Lock _gate = new();
    // Read by the monitor while the killer restarts: an ended Process is kept (not disposed) until the
    // end, and the new one is published before the "not signalled" flag is reset, so a restart never
    // reads as a failure.
    private readonly List<Process> _ended = [];
    private volatile Process? _process;
    private StreamWriter? _log;
    private volatile bool _signalled;

    public LocalProcessSpec Spec => spec;

    /// <summary>How often the process was started; a restart resets its counters.</summary>
    public int Starts { get; private set; }

    public int Kills { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The process ended without being told to: it failed (a port in use, a configuration it refused).</summary>
    public bool Failed => _process is { HasExited: true } && !_signalled;

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The running agent's process id (setsid execs it in place), for what /proc tells about it; null when not running.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public void Start()
    {
        var info = new ProcessStartInfo(Setsid ?? agent.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.Directory,
        };
        if (Setsid is not null)
        {
            info.ArgumentList.Add(agent.FileName);
        }
        foreach (var argument in agent.Prefix.Concat(spec.Arguments))
        {
            info.ArgumentList.Add(argument);
        }
        if (AgentExecutable.DotnetRoot is { } root)
        {
            info.Environment["DOTNET_ROOT"] = root;
        }
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }
        _log ??= new StreamWriter(new FileStream(spec.LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (_process is { } ended)
        {
            _ended.Add(ended);
        }
        _process = process;
        _signalled = false;
        Starts++;
    }

    /// <summary>SIGTERM: the agent stops its sources, drains its channels for its grace, and exits.</summary>
    public void Terminate() => Signal(NativeSignals.SigTerm);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_process is not { } process)
        {
            return true;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, then SIGKILL if the process is still there after its grace.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        Terminate();
        if (!await WaitForExitAsync(grace, cancellationToken))
        {
            Write($"--- flumek8s local: still running {grace.TotalSeconds:F0} s after SIGTERM: SIGKILL ---");
            Signal(NativeSignals.SigKill);
            await WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
    }

    /// <summary>SIGKILL (no drain, no final checkpoint), then the same process again: its file channels recover.</summary>
    public async Task KillAndRestartAsync(CancellationToken cancellationToken)
    {
        Signal(NativeSignals.SigKill);
        await WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Kills++;
        Write("--- flumek8s local: killed with SIGKILL (--kill-every); starting it again ---");
        Start();
    }

    public string LogTail(int lines)
    {
        try
        {
            using var stream = new FileStream(spec.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(its log cannot be read: {e.Message})";
        }
    }

    private void Signal(int signal)
    {
        _signalled = true;
        if (_process is { HasExited: false } process)
        {
            NativeSignals.Send(process.Id, signal);
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _log?.WriteLine(line);
        }
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } process)
        {
            NativeSignals.Send(process.Id, NativeSignals.SigKill);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process?.Dispose();
        foreach (var ended in _ended)
        {
            ended.Dispose();
        }
        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
