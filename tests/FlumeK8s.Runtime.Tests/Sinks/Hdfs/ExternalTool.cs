using System.Diagnostics;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

/// <summary>Runs a real program (gzip, python3) with a timeout and returns its exit code, stdout and stderr.</summary>
internal static class ExternalTool
{
    public static async Task<(int Code, byte[] Output, string Error)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within 60 s");
        }
        await copy.WaitAsync(TimeSpan.FromSeconds(10));
        return (process.ExitCode, output.ToArray(), await error.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
