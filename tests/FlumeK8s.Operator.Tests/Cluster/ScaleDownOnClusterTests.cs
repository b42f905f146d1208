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
        await example.SettleAsync(collectors: 2);
        Cluster.MustKubectl("-n", Namespace, "patch", "collectortier", "collectors", "--type=merge", "-p", """{"spec": {"drainStallSeconds": 15}}""");
        var (log, lines) = await BacklogOnTheCollectorsAsync("drain");

        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=1");
        await Eventually.TrueAsync(() => Condition("Draining")?["reason"]?.GetValue<string>() == "DrainBlocked",
            "the drain to be reported blocked while the stores are gone", Timeout);
        Assert.Equal(2, StatefulSetReplicas("collectors"));
        Assert.Contains("collectors-1 holds", Condition("Draining")!["message"]!.GetValue<string>());
        // The tier is judged by the pod it keeps, not by the one leaving.
        Assert.Equal("True", Condition("Ready")?["status"]?.GetValue<string>());
        Assert.Contains("DrainBlocked", Cluster.MustKubectl("-n", Namespace, "get", "events", "--field-selector", "involvedObject.name=collectors"));
        Assert.Contains("state-collectors-1", Cluster.MustKubectl("-n", Namespace, "get", "pvc"));

        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        await Eventually.TrueAsync(() => StatefulSetReplicas("collectors") == 1, "the StatefulSet to shrink once collectors-1 is empty", Timeout);
        await Eventually.TrueAsync(() => !Cluster.MustKubectl("-n", Namespace, "get", "pvc").Contains("state-collectors-1", StringComparison.Ordinal),
            "the drained claim to be deleted", Timeout);
        await example.ExpectAllStoredAsync(log, lines, output);
    }

    [Fact]
    public async Task ScaleUpDuringADrain_CancelsIt_ThePodTakesTrafficAgain_NothingLost()
    {
        await example.SettleAsync(collectors: 2);
        var (log, lines) = await BacklogOnTheCollectorsAsync("cancel");

        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=1");
        await Eventually.TrueAsync(() => Condition("Draining")?["status"]?.GetValue<string>() == "True", "the drain to start", Timeout);
        await Eventually.TrueAsync(() => PodReady("collectors-1") == false, "the leaving collector to turn not ready", Timeout);

        Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=2");
        await Eventually.TrueAsync(() => PodReady("collectors-1") == true, "collectors-1, wanted again, to turn ready", Timeout);
        await Eventually.TrueAsync(() => Condition("Draining")?["status"]?.GetValue<string>() == "False", "the drain to end", Timeout);
        Assert.Equal(2, StatefulSetReplicas("collectors"));

        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        await example.ExpectAllStoredAsync(log, lines, output);
    }

    [Fact]
    public async Task DeletingTheCollectorTier_DrainsItIntoTheStoresBeforeItsObjectsGo()
    {
        await example.SettleAsync(collectors: 2);
        var (log, lines) = await BacklogOnTheCollectorsAsync("delete");

        Cluster.MustKubectl("-n", Namespace, "delete", "collectortier", "collectors", "--wait=false");
        await Eventually.TrueAsync(() => Condition("Draining")?["status"]?.GetValue<string>() == "True", "the deleted tier to drain", Timeout);
        Assert.Equal(2, StatefulSetReplicas("collectors"));

        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        await Eventually.TrueAsync(() => !Cluster.Kubectl("-n", Namespace, "get", "collectortier", "collectors").Succeeded
                                         && !Cluster.MustKubectl("-n", Namespace, "get", "pvc").Contains("state-collectors-", StringComparison.Ordinal),
            "the tier, then its claims, to go once drained", Timeout);
        var (numbers, _) = example.Archive.Read(log.Prefix);
        output.WriteLine($"{numbers.Count} of {lines} lines stored when the collector tier was gone (the rest waited in the agent tier)");

        // The example back: what the agents still held reaches the stores too.
        example.ApplyTiers();
        await example.ExpectAllStoredAsync(log, lines, output);
    }

    [Fact]
    public async Task AClaimLeftHoldingEventsByAScaleDownOutsideTheOperator_IsDrainedByAJob_ThenDeleted()
    {
        await example.SettleAsync(collectors: 2);
        Cluster.MustKubectl("-n", Namespace, "patch", "collectortier", "collectors", "--type=merge", "-p", """{"spec": {"drainStallSeconds": 300}}""");
        var (log, lines) = await BacklogOnTheCollectorsAsync("orphan");

        // With the operator stopped, the tier and its StatefulSet are scaled down by hand: collectors-1
        // stops with its events on its claim, and no drain marked it.
        Cluster.MustKubectl("-n", "flumek8s-system", "scale", "deployment/flumek8s-operator", "--replicas=0");
        try
        {
            await Eventually.TrueAsync(() => Cluster.MustKubectl("-n", "flumek8s-system", "get", "pods", "-o", "name").Length == 0, "the operator to stop", Timeout);
            Cluster.MustKubectl("-n", Namespace, "scale", "collectortier/collectors", "--replicas=1");
            Cluster.MustKubectl("-n", Namespace, "scale", "statefulset/collectors", "--replicas=1");
            await Eventually.TrueAsync(() => example.PodCount("collectors") == 1, "collectors-1 to stop", Timeout);
        }
        finally
        {
            Cluster.MustKubectl("-n", "flumek8s-system", "scale", "deployment/flumek8s-operator", "--replicas=1");
        }

        await Eventually.TrueAsync(() => Condition("OrphanedClaims")?["status"]?.GetValue<string>() == "True", "the operator to drain the orphaned claim", Timeout);
        Assert.Contains("state-collectors-1-drain", Cluster.MustKubectl("-n", Namespace, "get", "jobs", "-o", "name"));
        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=2");
        await Eventually.TrueAsync(() => !Cluster.MustKubectl("-n", Namespace, "get", "pvc").Contains("state-collectors-1", StringComparison.Ordinal)
                                         && Cluster.MustKubectl("-n", Namespace, "get", "jobs", "-o", "name").Length == 0,
            "the drained claim and its Job to go", Timeout);
        Assert.Equal("False", Condition("OrphanedClaims")?["status"]?.GetValue<string>());
        await example.ExpectAllStoredAsync(log, lines, output);
    }

    // Stores stopped (their own scale-down drains them into the archive first), then lines written
    // until the collector that will leave holds some (the agents spread batches over the collectors
    // they know; a collector that just started may not be known yet).
    private async Task<(AppLogFile Log, int Lines)> BacklogOnTheCollectorsAsync(string name)
    {
        Cluster.MustKubectl("-n", Namespace, "scale", "storetier/stores", "--replicas=0");
        await Eventually.TrueAsync(() => StatefulSetReplicas("stores") == 0, "the stores to drain and stop", Timeout);
        var log = new AppLogFile(name);
        var lines = 0;
        while (EventsHeld("collectors-1") == 0)
        {
            Assert.True(lines < 40_000, "collectors-1 never received any of the lines");
            await log.AppendAsync(lines, 2_000, 2_000);
            lines += 2_000;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        output.WriteLine($"{name}: {lines} lines written; collectors-1 holds {EventsHeld("collectors-1")} events");
        return (log, lines);
    }

    // What a collector's agent still holds, from its admin endpoint's /drain (a GET changes nothing).
    private long EventsHeld(string pod)
    {
        var answer = Cluster.Kubectl("get", "--raw", $"/api/v1/namespaces/{Namespace}/pods/{pod}:41414/proxy/drain");
        return answer.Succeeded ? JsonNode.Parse(answer.Stdout)?["events"]?.GetValue<long>() ?? 0 : 0;
    }

    private JsonNode? Condition(string type) => example.CollectorTierCondition("collectors", type);

    private int StatefulSetReplicas(string name) => example.StatefulSetReplicas(name);

    private bool? PodReady(string pod)
    {
        var ready = Cluster.Kubectl("-n", Namespace, "get", "pod", pod, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        return ready.Succeeded ? ready.Stdout == "True" : null;
    }
}
