using System.Diagnostics;
using System.Text;

namespace FlumeK8s.Runtime.Sources.Exec;

/// <summary>
/// One run of the configured command: stdout is read by the source, stderr is always drained
/// (a full stderr pipe would block the command) and handed to <c>onStdErr</c>, stdin is closed
/// at once so a command that reads it sees the end instead of waiting forever.
/// </summary>
internal sealed class ExecProcess : IDisposable
{
    private readonly Process _process;

    private ExecProcess(Process process) => _process = process;

    public StreamReader Output => _process.StandardOutput;

    public int Id => _process.Id;

    /// <summary>Starts the command; throws (e.g. <see cref="System.ComponentModel.Win32Exception"/>) when it cannot be started.</summary>
    public static ExecProcess Start(IReadOnlyList<string> commandLine, Encoding charset, Action<string> onStdErr)
    {
        var info = new ProcessStartInfo(commandLine[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = charset,
            StandardErrorEncoding = charset,
        };
        foreach (var argument in commandLine.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onStdErr(e.Data);
            }
        };
        try
        {
            process.Start();
            process.StandardInput.Close();
            process.BeginErrorReadLine();
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return new ExecProcess(process);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Kills the command and everything it started (a shell's children would otherwise keep running).</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill: nothing is left to stop.
        }
    }

    public void Dispose()
    {
        KillTree();
        _process.Dispose();
    }
}
