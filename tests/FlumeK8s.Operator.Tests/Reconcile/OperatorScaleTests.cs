using System.Diagnostics;
using System.Text.Json.Nodes;
using FlumeK8s.Kube;
using FlumeK8s.Operator.Tests.Envtest;
using FlumeK8s.Operator.Tests.Support;
using Xunit.Abstractions;

namespace FlumeK8s.Operator.Tests.Reconcile;

/// <summary>
/// Leader hand-over between two operator processes, and the operator's figures (printed, not
/// asserted: the machine is shared): reconcile latency, 100 tiers from scratch, peak RSS.
/// </summary>
[Collection(KubeControlPlaneCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OperatorScaleTests(KubeControlPlaneFixture fixture, ITestOutputHelper output)
{
    private static readonly ResourceKind CollectorTiers = TestTiers.CollectorTiers;

    private KubeControlPlane Plane => fixture.ControlPlane;

    [Fact]
    public async Task TwoOperators_OneLeadsAtATime_AndTheOtherTakesOverWhenItStops()
    {
        using var client = KubeClient.FromKubeconfig(Plane.KubeconfigPath);
        var kubeconfig = await OperatorServiceAccount.KubeconfigAsync(Plane, client);
        var ns = OperatorServiceAccount.NewNamespace(Plane, "h");
        await using var first = OperatorProcess.Start(kubeconfig, "--namespace", ns, "--lease-namespace", OperatorServiceAccount.Namespace);
        await Eventually.TrueAsync(() => first.Output.Any(l => l.Contains("is the leader")), "the first operator to lead", TimeSpan.FromSeconds(60));
        await using var second = OperatorProcess.Start(kubeconfig, "--namespace", ns, "--lease-namespace", OperatorServiceAccount.Namespace);
        await TestTiers.ApplyCollectorAsync(client, ns, "t1", "110");
        try
        {
            await Eventually.TrueAsync(() => ConfigOf(client, ns, "t1")?.Contains("capacity = 110") == true, "the leader to reconcile", TimeSpan.FromSeconds(60));
        }
        finally
        {
            output.WriteLine("first:\n" + string.Join('\n', first.Output) + "\nsecond:\n" + string.Join('\n', second.Output));
        }
        Assert.DoesNotContain(second.Output, l => l.Contains("is the leader"));

        Assert.Equal(0, await first.StopAsync());
        var handover = Stopwatch.StartNew();
        await TestTiers.ApplyCollectorAsync(client, ns, "t1", "120");
        await Eventually.TrueAsync(() => ConfigOf(client, ns, "t1")?.Contains("capacity = 120") == true, "the new leader to reconcile", TimeSpan.FromSeconds(60));
        // The first released the Lease: the second leads at its next retry (2 s), not after 15 s.
        output.WriteLine($"operator figures: a change made as the leader stopped was applied by the standby {handover.Elapsed.TotalSeconds:F1} s later");
        Assert.Contains(second.Output, l => l.Contains("is the leader"));
        Assert.Equal(0, await second.StopAsync());
        Plane.Kubectl("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task Figures_ReconcileLatency_HundredTiers_PeakRss()
    {
        using var client = KubeClient.FromKubeconfig(Plane.KubeconfigPath);
        var ns = OperatorServiceAccount.NewNamespace(Plane, "p");
        await using var process = OperatorProcess.Start(await OperatorServiceAccount.KubeconfigAsync(Plane, client), "--namespace", ns, "--no-leader-elect");

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            await TestTiers.ApplyCollectorAsync(client, ns, $"t{i}", "100");
        }
        await Eventually.TrueAsync(() => client.ListAsync(CollectorTiers, ns, null, default).Result.Items.Count(t => t["status"]?["configHash"] is not null) == 100,
            "100 tiers reconciled", TimeSpan.FromMinutes(3));
        var hundred = clock.Elapsed;

        // Let the controller-manager finish creating the 100 StatefulSets' pods (each of their status
        // changes is a reconcile of its tier), then time single changes on a settled system.
        await Task.Delay(TimeSpan.FromSeconds(10));
        // On a settled system nothing should be reconciled: count what is, over 5 s.
        var idleBefore = ReconcileCount(await process.GetAsync("/metrics"));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = ReconcileCount(await process.GetAsync("/metrics")) - idleBefore;
        var latencies = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            var capacity = $"{200 + i}";
            var change = Stopwatch.StartNew();
            await TestTiers.ApplyCollectorAsync(client, ns, "t0", capacity);
            while (ConfigOf(client, ns, "t0")?.Contains($"capacity = {capacity}") != true)
            {
                Assert.True(change.Elapsed < TimeSpan.FromSeconds(60), "the change was never applied");
                await Task.Delay(10);
            }
            latencies.Add(change.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();
        var rss = process.PeakRssBytes() / 1048576.0;
        var heap = long.Parse(System.Text.RegularExpressions.Regex.Match((await process.GetAsync("/metrics")).Body, @"dotnet_gc_heap_bytes (\d+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture) / 1048576.0;
        output.WriteLine($"operator figures: 100 tiers reconciled from scratch in {hundred.TotalSeconds:F1} s; " +
                         $"change → applied ConfigMap median {latencies[latencies.Count / 2]:F0} ms (min {latencies[0]:F0}, max {latencies[^1]:F0}, n={latencies.Count}, " +
                         $"polled every 10 ms); operator peak RSS {rss:F0} MB (managed heap {heap:F0} MB at the end); {idle} reconciles in 5 s of a settled system");
        Assert.Equal(0, await process.StopAsync());
        Plane.Kubectl("delete", "namespace", ns, "--wait=false");
    }

    private static long ReconcileCount((int Status, string Body) metrics) =>
        long.Parse(System.Text.RegularExpressions.Regex.Match(metrics.Body, @"flumek8s_operator_reconcile_total\{kind=""CollectorTier""\} (\d+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);

    private static string? ConfigOf(KubeClient client, string ns, string tier) =>
        client.GetAsync(ResourceKind.ConfigMap, ns, $"{tier}-config", default).Result?["data"]?.ToJsonString();
}
