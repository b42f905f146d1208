using System.Text.Json.Nodes;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Cluster;

/// <summary>
/// Scale-downs that strand nothing, on the Meituan example's pods: the store tier is stopped so that
/// the collectors hold a backlog, and the collector tier is scaled down with <c>kubectl scale</c>
/// (the scale subresource, as a HorizontalPodAutoscaler writes it). The leaving collector drains
/// first; the StatefulSet shrinks only when it is empty.
/// </summary>
[Collection(MeituanOnClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ScaleDownOnClusterTests(MeituanOnCluster example, ITestOutputHelper output)
{
    private const string Namespace = MeituanOnCluster.Namespace;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private SingleNodeCluster Cluster => example.Cluster;

    [Fact]
    public async Task ScaleDown_WaitsForTheLeavingCollectorToEmpty_SaysDrainBlockedWhileTheStoresAreGone_ThenShrinksAndDeletesItsClaim()
    {
        await SettleAsync(collectors: 2);
        Cluster.MustKubectl("-n", Namespace, "patch", "collectortier", "collectors", "--type=merge", "-p", """{"spec": {"drainStallSeconds": 15}}""");
        var log = await BacklogOnTheCollectorsAsync("drain", 6_000);

        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=1");
        await Eventually.TrueAsync(() => Condition("Draining")?["reason"]?.GetValue<string>() == "DrainBlocked",
            "the drain to be reported blocked while the stores are gone", Timeout);
        Assert.Equal(2, StatefulSetReplicas("collectors"));
        Assert.Contains("collectors-1 holds", Condition("Draining")!["message"]!.GetValue<string>());
        Assert.Contains("DrainBlocked", Cluster.MustKubectl("-n", Namespace, "get", "events", "--field-selector", "involvedObject.name=collectors"));
        Assert.Contains("state-collectors-1", Cluster.MustKubectl("-n", Namespace, "get", "pvc"));

        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        await Eventually.TrueAsync(() => StatefulSetReplicas("collectors") == 1, "the StatefulSet to shrink once collectors-1 is empty", Timeout);
        await Eventually.TrueAsync(() => !Cluster.MustKubectl("-n", Namespace, "get", "pvc").Contains("state-collectors-1", StringComparison.Ordinal),
            "the drained claim to be deleted", Timeout);
        await ExpectAllStoredAsync(log, 6_000);
    }

    [Fact]
    public async Task ScaleUpDuringADrain_CancelsIt_ThePodTakesTrafficAgain_NothingLost()
    {
        await SettleAsync(collectors: 2);
        var log = await BacklogOnTheCollectorsAsync("cancel", 4_000);

        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=1");
        await Eventually.TrueAsync(() => Condition("Draining")?["status"]?.GetValue<string>() == "True", "the drain to start", Timeout);
        await Eventually.TrueAsync(() => PodReady("collectors-1") == false, "the leaving collector to turn not ready", Timeout);

        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=2");
        await Eventually.TrueAsync(() => PodReady("collectors-1") == true, "collectors-1, wanted again, to turn ready", Timeout);
        await Eventually.TrueAsync(() => Condition("Draining")?["status"]?.GetValue<string>() == "False", "the drain to end", Timeout);
        Assert.Equal(2, StatefulSetReplicas("collectors"));

        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        await ExpectAllStoredAsync(log, 4_000);
    }

    // Stores stopped (their own scale-down drains them into the archive first), then lines written:
    // the collectors hold them.
    private async Task<AppLogFile> BacklogOnTheCollectorsAsync(string name, int lines)
    {
        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=0");
        await Eventually.TrueAsync(() => StatefulSetReplicas("stores") == 0, "the stores to drain and stop", Timeout);
        var log = new AppLogFile(name);
        await log.AppendAsync(0, lines, 2_000);
        return log;
    }

    // The example's shape again, whatever an earlier test left: its replicas, the stores running,
    // every pod ready.
    private async Task SettleAsync(int collectors)
    {
        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", $"--replicas={collectors}");
        await Eventually.TrueAsync(() => StatefulSetReplicas("collectors") == collectors && StatefulSetReplicas("stores") == 2, "the example's replicas", Timeout);
        Cluster.MustKubectl("-n", Namespace, "rollout", "status", "statefulset/collectors", "--timeout=180s");
        Cluster.MustKubectl("-n", Namespace, "rollout", "status", "statefulset/stores", "--timeout=180s");
    }

    private async Task ExpectAllStoredAsync(AppLogFile log, int lines)
    {
        try
        {
            await Eventually.TrueAsync(() => example.Archive.Read(log.Prefix).Numbers.Count == lines, $"all {lines} lines of {log.Prefix} in the archive", Timeout);
        }
        catch (TimeoutException)
        {
            output.WriteLine($"{example.Archive.Read(log.Prefix).Numbers.Count} of {lines} stored\n{example.Describe()}");
            throw;
        }
        output.WriteLine($"{log.Prefix}: all {lines} lines stored ({example.Archive.Read(log.Prefix).Duplicates} stored twice)");
    }

    private JsonNode? Condition(string type) =>
        JsonNode.Parse(Cluster.MustKubectl("-n", Namespace, "get", "collectortier", "collectors", "-o", "json"))?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    private int StatefulSetReplicas(string name) =>
        int.Parse(Cluster.MustKubectl("-n", Namespace, "get", "statefulset", name, "-o", "jsonpath={.spec.replicas}"), System.Globalization.CultureInfo.InvariantCulture);

    private bool? PodReady(string pod)
    {
        var ready = Cluster.Kubectl("-n", Namespace, "get", "pod", pod, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        return ready.Succeeded ? ready.Stdout == "True" : null;
    }
}
