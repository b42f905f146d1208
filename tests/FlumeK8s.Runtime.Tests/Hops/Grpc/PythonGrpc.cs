using System.Diagnostics;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

/// <summary>
/// Debian's python3-grpcio (the gRPC C core) as an independent peer: finds a python3 that has it,
/// generates the hop's stubs from the repository's .proto with grpc_tools.protoc into a temp
/// folder, and runs the interop scripts. Missing grpcio fails the test; it is never skipped.
/// </summary>
public sealed class PythonGrpc : IDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/python3", "python3"];

    public PythonGrpc()
    {
        Python = Candidates.FirstOrDefault(HasGrpc) ?? throw new InvalidOperationException(
            "No python3 with the grpc module: install Debian's python3-grpcio and python3-grpc-tools " +
            "(apt-get install -y python3-grpcio python3-grpc-tools; ./test.sh does this)");
        Directory.CreateDirectory(Stubs);
        var protoDirectory = Path.Combine(RepositoryRoot, "agent", "FlumeK8s.Runtime", "Hops", "Grpc");
        var (code, output) = Run(Python, "-m", "grpc_tools.protoc", "-I" + protoDirectory, "--python_out=" + Stubs, "--grpc_python_out=" + Stubs, "flumek8s.proto");
        if (code != 0)
        {
            throw new InvalidOperationException($"grpc_tools.protoc could not compile flumek8s.proto (is python3-grpc-tools installed?): {output}");
        }
        (code, output) = Run(Python, "-m", "grpc_tools.protoc", "-I" + Path.GetDirectoryName(Script("health.proto")), "--python_out=" + Stubs, "--grpc_python_out=" + Stubs, "health.proto");
        if (code != 0)
        {
            throw new InvalidOperationException($"grpc_tools.protoc could not compile health.proto: {output}");
        }
    }

    public string Python { get; }

    public string Stubs { get; } = Path.Combine(Path.GetTempPath(), "flumek8s-pystubs-" + Guid.NewGuid().ToString("N"));

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Script(string name) => Path.Combine(RepositoryRoot, "tests", "FlumeK8s.Runtime.Tests", "Hops", "Grpc", "interop", name);

    /// <summary>Runs the client script to the end; returns its exit code and one line per batch.</summary>
    public Task<(int ExitCode, string[] Lines)> RunClientAsync(params string[] arguments) => RunAsync("client.py", arguments);

    /// <summary>Runs one of the interop scripts to the end; returns its exit code and its output lines.</summary>
    public async Task<(int ExitCode, string[] Lines)> RunAsync(string script, params string[] arguments)
    {
        var start = Start(Script(script), ["--stubs", Stubs, .. arguments]);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Support.Eventually.Within(process.WaitForExitAsync(), TimeSpan.FromSeconds(60));
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = await stderr;
        return (process.ExitCode, lines.Length == 0 && errors.Length > 0 ? [errors] : lines);
    }

    public PythonGrpcServer StartServer(params string[] arguments) =>
        new(Process.Start(Start(Script("server.py"), ["--stubs", Stubs, .. arguments]))!);

    public void Dispose() => Directory.Delete(Stubs, recursive: true);

    private ProcessStartInfo Start(string script, string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // grpcio honours proxies from the environment; the peers are on loopback.
        start.Environment["no_proxy"] = "*";
        start.Environment["NO_PROXY"] = "*";
        return start;
    }

    private static bool HasGrpc(string python)
    {
        try
        {
            return Run(python, "-c", "import grpc, grpc_tools").Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FlumeK8s.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (FlumeK8s.sln) above " + AppContext.BaseDirectory);
    }
}
