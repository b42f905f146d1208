using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// The single-node Kubernetes of tests/cluster (kubelet, containerd, kube-proxy, a cluster DNS, in a
/// network namespace of its own), with the project's image built from the Dockerfile loaded into it.
/// Brought up and taken down by the same scripts a user runs.
/// </summary>
public sealed class SingleNodeCluster : IAsyncDisposable
{
    // A cold machine builds the Kubernetes binaries, the base images and the project's image.
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(45);
    private static readonly string Scripts = Path.Combine(RepositoryRoot.Path, "tests", "cluster");

    private SingleNodeCluster(string kubeconfig, IReadOnlyDictionary<string, string> figures)
    {
        KubeconfigPath = kubeconfig;
        Figures = figures;
    }

    public string KubeconfigPath { get; }

    /// <summary>What up.sh measured: image_build_seconds, node_ready_seconds, up_seconds.</summary>
    public IReadOnlyDictionary<string, string> Figures { get; }

    /// <summary>The node's state folder (tests/cluster/lib.sh), where its logs are.</summary>
    public static string StateDirectory => Environment.GetEnvironmentVariable("FLUMEK8S_CLUSTER_STATE") ?? "/tmp/flumek8s-cluster";

    public static async Task<SingleNodeCluster> UpAsync(CancellationToken cancellationToken)
    {
        var up = await CommandRunner.RunAsync("bash", [Path.Combine(Scripts, "up.sh")], UpTimeout, cancellationToken);
        if (!up.Succeeded)
        {
            await CommandRunner.RunAsync("bash", [Path.Combine(Scripts, "down.sh")], TimeSpan.FromMinutes(2), CancellationToken.None);
            throw new InvalidOperationException($"tests/cluster/up.sh failed (exit {up.ExitCode}):\n{Tail(up.Stderr)}");
        }
        var kubeconfig = up.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        var figures = File.ReadAllLines(Path.Combine(StateDirectory, "figures"))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        return new SingleNodeCluster(kubeconfig, figures);
    }

    /// <summary>kubectl (the machine's) against the cluster.</summary>
    public CommandResult Kubectl(params string[] args) =>
        CommandRunner.RunAsync("kubectl", ["--kubeconfig", KubeconfigPath, .. args], TimeSpan.FromMinutes(2), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>kubectl that must succeed; its stdout.</summary>
    public string MustKubectl(params string[] args)
    {
        var result = Kubectl(args);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    /// <summary>The last lines of one of the node's logs (kubelet, containerd, kube-apiserver …), for failure reports.</summary>
    public static string NodeLog(string component, int lines = 40) =>
        Tail(string.Join('\n', File.ReadLines(Path.Combine(StateDirectory, "logs", component + ".log")).TakeLast(lines)));

    public async ValueTask DisposeAsync()
    {
        var down = await CommandRunner.RunAsync("bash", [Path.Combine(Scripts, "down.sh")], TimeSpan.FromMinutes(3), CancellationToken.None);
        Assert.True(down.Succeeded, $"tests/cluster/down.sh: {down}");
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}
