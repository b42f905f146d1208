using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace FlumeK8s.Operator.Tests.Local;

/// <summary><c>flumek8s local up</c> run as a real process (plain output: no terminal), with its work folder in a temp directory.</summary>
internal sealed class LocalUpProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    public LocalUpProcess(string workDirectory, params string[] args)
        : this(workDirectory, new Dictionary<string, string>(), args)
    {
    }

    /// <summary>With variables added to its environment (the shell's values a tier's ConfigMap references stand for).</summary>
    public LocalUpProcess(string workDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        WorkDirectory = workDirectory;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "flumek8s.dll"), "local", "up", "--work-dir", workDirectory }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string WorkDirectory { get; }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public int Id => _process.Id;

    /// <summary>Waits for the exit, then for the output pipes to close; throws with the output so far after the timeout.</summary>
    public async Task<int> ExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"local up did not exit within {timeout}:\n{Stdout}\n{Stderr}");
        }
        return _process.ExitCode;
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>The agent processes whose command line names this run's work folder (they run in sessions of their own).</summary>
    public IReadOnlyList<int> Agents()
    {
        var agents = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == _process.Id)
            {
                continue;
            }
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("flumek8s-agent", StringComparison.Ordinal) && commandLine.Contains(WorkDirectory, StringComparison.Ordinal))
                {
                    agents.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone while listing.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's process.
            }
        }
        return agents;
    }

    private void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            builder.Append(line).Append('\n');
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        foreach (var agent in Agents())
        {
            Kill(agent, 9);
        }
        _process.Dispose();
    }

    public const int SigInt = 2;
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
