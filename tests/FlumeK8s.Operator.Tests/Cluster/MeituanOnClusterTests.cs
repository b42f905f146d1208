using System.Diagnostics;
using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// The Meituan topology as pods on a real node: what only pods can show. Every numbered line an
/// application writes on the node crosses agent → collectors → stores and lands in the archive,
/// through a collector's deletion and a SIGKILL; a flow edited with kubectl reloads without a
/// restart; a scale-up gets traffic without one.
/// </summary>
[Collection(MeituanOnClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class MeituanOnClusterTests(MeituanOnCluster example, ITestOutputHelper output)
{
    private const string Namespace = MeituanOnCluster.Namespace;

    private SingleNodeCluster Cluster => example.Cluster;

    [Fact]
    public async Task EveryLineIsStored_ThroughACollectorDeletedAndAnotherKilled()
    {
        await example.SettleAsync(collectors: 2);
        var log = new AppLogFile("loss");
        const int Lines = 40_000;
        var writing = log.AppendAsync(0, Lines, 1_000);

        await Task.Delay(TimeSpan.FromSeconds(10));
        Cluster.MustKubectl("-n", Namespace, "delete", "pod", "collectors-0", "--wait=false");
        await Task.Delay(TimeSpan.FromSeconds(10));
        var killed = KillAgentProcess("collectors-1");
        output.WriteLine($"SIGKILLed collectors-1's agent (pid {killed} on the node)");
        await writing;

        await example.ExpectAllStoredAsync(log, Lines, output);
    }

    [Fact]
    public async Task EndToEndRate_AllLinesStored()
    {
        await example.SettleAsync(collectors: 2);
        var log = new AppLogFile("rate");
        const int Lines = 200_000;
        var clock = Stopwatch.StartNew();
        await log.AppendAsync(0, Lines, 50_000);
        var written = clock.Elapsed;
        await example.ExpectAllStoredAsync(log, Lines, output);
        output.WriteLine($"cluster figures: {Lines:N0} lines written in {written.TotalSeconds:F1} s, all stored after {clock.Elapsed.TotalSeconds:F1} s: " +
                         $"{Lines / clock.Elapsed.TotalSeconds:N0} events/s end to end; kubectl apply → first event stored {example.ApplyToFirstStored.TotalSeconds:F0} s; " +
                         string.Join(", ", Cluster.Figures.Select(f => $"{f.Key} {f.Value}")));
    }

    [Fact]
    public async Task FlowEditedWithKubectl_CollectorsReloadFromTheConfigMap_WithoutARestart()
    {
        await example.SettleAsync(collectors: 2);
        var before = Restarts();
        Cluster.MustKubectl("-n", Namespace, "patch", "collectortier", "collectors", "--type=json", "-p",
            """[{"op": "replace", "path": "/spec/flow/channels/0/properties/capacity", "value": "10000001"}]""");

        await Eventually.TrueAsync(() => Pods("collectors").All(pod => Cluster.Kubectl("-n", Namespace, "logs", pod).Stdout.Contains("Reloaded", StringComparison.Ordinal)),
            "every collector to reload its configuration", TimeSpan.FromMinutes(3));
        var after = Restarts();
        Assert.Equal(before, after.Where(p => before.ContainsKey(p.Key)).ToDictionary());

        var log = new AppLogFile("reload");
        await log.AppendAsync(0, 2_000, 1_000);
        await example.ExpectAllStoredAsync(log, 2_000, output);
    }

    [Fact]
    public async Task ScaledUpWithKubectl_TheAgentsSendToTheNewCollector_WithoutARestart()
    {
        await example.SettleAsync(collectors: 2);
        var before = Restarts();
        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=3");
        Cluster.MustKubectl("-n", Namespace, "rollout", "status", "statefulset/collectors", "--timeout=300s");

        var log = new AppLogFile("scale");
        var writing = log.AppendAsync(0, 20_000, 1_000);
        await Eventually.TrueAsync(() => HopEventsAccepted("collectors-2") > 0, "the new collector to receive events", TimeSpan.FromMinutes(2));
        await writing;
        Assert.Equal(before.Where(p => p.Key != "collectors-2"), Restarts().Where(p => before.ContainsKey(p.Key)));
        await example.ExpectAllStoredAsync(log, 20_000, output);
    }

    private IReadOnlyList<string> Pods(string instance) =>
        Cluster.MustKubectl("-n", Namespace, "get", "pods", "-l", $"app.kubernetes.io/instance={instance}", "-o", "jsonpath={.items[*].metadata.name}")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private Dictionary<string, int> Restarts() => example.Restarts();

    // The hop source's accepted events on one collector, from its admin endpoint through the API server.
    private long HopEventsAccepted(string pod)
    {
        var metrics = Cluster.Kubectl("get", "--raw", $"/api/v1/namespaces/{Namespace}/pods/{pod}:41414/proxy/metrics");
        return metrics.Succeeded
            ? long.Parse(JsonNode.Parse(metrics.Stdout)?["SOURCE.hop"]?["EventAcceptedCount"]?.ToString() ?? "0", System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    // SIGKILL, from the node, of the agent process in a pod's container (a process cannot be killed
    // with SIGKILL from inside its own PID namespace when it is that namespace's init).
    private int KillAgentProcess(string pod)
    {
        var container = Cluster.MustKubectl("-n", Namespace, "get", "pod", pod, "-o", "jsonpath={.status.containerStatuses[0].containerID}")
            .Replace("containerd://", "", StringComparison.Ordinal);
        var pid = int.Parse(File.ReadAllText(Path.Combine(SingleNodeCluster.StateDirectory, "containerd", "state", "io.containerd.runtime.v2.task", "k8s.io", container, "init.pid")).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Process.GetProcessById(pid).Kill();
        return pid;
    }
}
