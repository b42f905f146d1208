using FlumeK8s.Operator.Reconcile.Pods;

namespace FlumeK8s.Operator.Tests.Reconcile.Pods;

public sealed class PodsNotReadyTests
{
    [Fact]
    public void Condition_DegradedNamingEachPodAndItsReason_InNameOrder()
    {
        var condition = PodsNotReady.Condition([
            new NotReadyPod("collectors-1", "reason unknown: its /readyz could not be read (timeout)"),
            new NotReadyPod("collectors-0", "channel c1: failed to start: Access to the path '/var/lib/flumek8s/c1/data' is denied."),
        ]);

        Assert.Equal("Degraded", condition.Type);
        Assert.True(condition.Status);
        Assert.Equal("PodsNotReady", condition.Reason);
        Assert.Equal("2 pods not ready: collectors-0: channel c1: failed to start: Access to the path '/var/lib/flumek8s/c1/data' is denied.; " +
                     "collectors-1: reason unknown: its /readyz could not be read (timeout)", condition.Message);
    }

    [Fact]
    public void Message_OnePod_Singular()
    {
        Assert.Equal("1 pod not ready: stores-0: sink k1: failed to start: x", PodsNotReady.Message([new NotReadyPod("stores-0", "sink k1: failed to start: x")]));
    }

    [Fact]
    public void Message_LongReasonsCut_ManyPodsCounted()
    {
        var pods = Enumerable.Range(0, 12).Select(i => new NotReadyPod($"p-{i:00}", new string('x', 1000))).ToList();

        var message = PodsNotReady.Message(pods);

        Assert.StartsWith("12 pods not ready: p-00: ", message);
        Assert.EndsWith("; and 2 more", message);
        Assert.DoesNotContain("p-10", message);
        Assert.Contains(new string('x', PodsNotReady.MaxReason - 1) + "…;", message);
        Assert.DoesNotContain(new string('x', PodsNotReady.MaxReason), message);
    }
}
