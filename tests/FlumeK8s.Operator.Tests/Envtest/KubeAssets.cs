using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>
/// Finds the control-plane binaries through tests/envtest/kube-assets.sh, which uses
/// KUBEBUILDER_ASSETS or its cache, or builds them. A missing binary is an error, never a skip:
/// tests that need a real API server must not pass without one.
/// </summary>
internal static class KubeAssets
{
    // A cold build takes 5 to 8 minutes on 2 cores; a warm run answers at once.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(30);
    private const int ReportedStderrChars = 4000;

    public static async Task<string> LocateAsync(bool needsControllerManager, CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepositoryRoot.Path, "tests", "envtest", "kube-assets.sh");
        var result = await CommandRunner.RunAsync("bash", [script], ScriptTimeout, cancellationToken);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!result.Succeeded || lines.Length == 0)
        {
            throw new InvalidOperationException(
                $"{script} could not provide the Kubernetes control-plane binaries (exit code {result.ExitCode}). " +
                $"Its output ends with:\n{Tail(result.Stderr)}");
        }

        var folder = lines[^1];
        string[] required = needsControllerManager ? ["etcd", "kube-apiserver", "kube-controller-manager"] : ["etcd", "kube-apiserver"];
        var missing = required.Where(name => !File.Exists(Path.Combine(folder, name))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{folder} (from {script}) has no {string.Join(", ", missing)}; " +
                "when KUBEBUILDER_ASSETS is set it must hold every binary the tests start (or unset it to use the project's own build)");
        }
        return folder;
    }

    private static string Tail(string text) =>
        text.Length <= ReportedStderrChars ? text : text[^ReportedStderrChars..];
}
