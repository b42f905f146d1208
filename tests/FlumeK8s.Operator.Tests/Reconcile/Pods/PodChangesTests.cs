using FlumeK8s.Operator.Reconcile;
using FlumeK8s.Operator.Reconcile.Pods;
using static FlumeK8s.Operator.Tests.Reconcile.Pods.TierPods;

namespace FlumeK8s.Operator.Tests.Reconcile.Pods;

public sealed class PodChangesTests
{
    private static readonly TierKey Collectors = new("CollectorTier", "logs", "collectors");
    private readonly PodChanges _changes = new();

    [Fact]
    public void Observe_FirstSight_AndEachChangeOfWhatTheOperatorReads_ReconcileThePodsTier()
    {
        Assert.Equal(Collectors, _changes.Observe("ADDED", Pod("collectors-0", New)));
        Assert.Null(_changes.Observe("MODIFIED", Pod("collectors-0", Starting))); // still starting, as far as the operator reads
        Assert.Equal(Collectors, _changes.Observe("MODIFIED", Pod("collectors-0", Started(ready: false))));
        Assert.Equal(Collectors, _changes.Observe("MODIFIED", Pod("collectors-0", Started(ready: true))));
        Assert.Equal(Collectors, _changes.Observe("DELETED", Pod("collectors-0", Started(ready: true))));
    }

    [Fact]
    public void Observe_StatusRewrittenWithNothingTheOperatorReads_NoReconcile()
    {
        _changes.Observe("ADDED", Pod("collectors-0", Started(ready: false)));

        var rewritten = Pod("collectors-0", Started(ready: false).Replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"));
        rewritten["metadata"]!["resourceVersion"] = "2";

        Assert.Null(_changes.Observe("MODIFIED", rewritten));
    }

    [Fact]
    public void Observe_PodWithoutTheTierLabels_Ignored()
    {
        var pod = Pod("other", New);
        pod["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject();

        Assert.Null(_changes.Observe("ADDED", pod));
    }
}
