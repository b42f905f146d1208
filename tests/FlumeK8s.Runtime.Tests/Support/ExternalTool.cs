using System.Diagnostics;

namespace FlumeK8s.Runtime.Tests.Support;

/// <summary>
/// Runs a real program (gzip, python3, kcat) with optional standard input and a timeout, and
/// returns its exit code, stdout and stderr. A program that does not finish is killed and fails the test.
/// </summary>
internal static class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<(int Code, byte[] Output, string Error)> RunAsync(string file, params string[] arguments) =>
        RunAsync(file, stdin: null, arguments);

    public static async Task<(int Code, byte[] Output, string Error)> RunAsync(string file, byte[]? stdin, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
                process.StandardInput.Close();
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds:F0} s");
        }
        await copy.WaitAsync(TimeSpan.FromSeconds(10));
        return (process.ExitCode, output.ToArray(), await error.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
