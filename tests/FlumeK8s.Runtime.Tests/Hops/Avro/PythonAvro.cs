using System.Runtime.CompilerServices;
using System.Text;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>
/// Runs avro_peer.py (next to this file) with Debian's python3, where python3-avro installs
/// itself. A missing package fails the test with how to install it rather than skipping it.
/// </summary>
internal static class PythonAvro
{
    private static readonly string[] Interpreters = ["/usr/bin/python3", "python3"];

    public static string ScriptPath([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "avro_peer.py");

    public static async Task<string> RunAsync(string stdin, params string[] arguments)
    {
        var python = await FindAsync();
        var (code, output, error) = await ExecAsync(python, stdin, [ScriptPath(), .. arguments]);
        Assert.True(code == 0, $"avro_peer.py {string.Join(' ', arguments)} failed ({code}): {error}");
        return output;
    }

    private static async Task<string> FindAsync()
    {
        foreach (var python in Interpreters)
        {
            if (python.StartsWith('/') && !File.Exists(python))
            {
                continue;
            }
            var (code, _, _) = await ExecAsync(python, "", ["-c", "import avro.io, avro.ipc"]);
            if (code == 0)
            {
                return python;
            }
        }
        Assert.Fail("python3-avro is not installed: these tests check our Avro bytes against it. Install it with `apt-get install -y python3-avro` (./test.sh does).");
        return "";
    }

    private static async Task<(int Code, string Output, string Error)> ExecAsync(string file, string stdin, string[] arguments)
    {
        var (code, output, error) = await ExternalTool.RunAsync(file, Encoding.UTF8.GetBytes(stdin), arguments);
        return (code, Encoding.UTF8.GetString(output), error);
    }
}
