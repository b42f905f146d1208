using System.ComponentModel;
using System.Diagnostics;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>Runs a short-lived command to completion, with a deadline, capturing its output.</summary>
internal static class CommandRunner
{
    public static async Task<CommandResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
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

        using var process = Start(info);
        // Nothing is ever typed at these commands; a closed stdin makes one that asks fail instead of hang.
        process.StandardInput.Close();
        // Both pipes drain concurrently so a child that fills one cannot block on it.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout}; its stderr so far:\n" +
                await stderr.ConfigureAwait(false));
        }
        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    internal static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{info.FileName} could not be started (is it installed and on PATH?)", e);
        }
    }
}
