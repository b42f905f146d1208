using FlumeK8s.Operator.Reconcile.Drain;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Operator.Tests.Reconcile.Drain;

public sealed class ScaleDownTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(5);

    [Fact]
    public void NoReplicaLeaving_TheWantedReplicas_NotDraining()
    {
        var decision = ScaleDown.Decide(3, 2, [], stalled: false, Stall);
        Assert.Equal(3, decision.Replicas);
        Assert.Empty(decision.Leaving);
        Assert.False(decision.Condition.Status);
        Assert.Equal("NotDraining", decision.Condition.Reason);
    }

    [Fact]
    public void LeavingPodStillHoldsEvents_ReplicasKept_DrainingSaysWhat()
    {
        var decision = ScaleDown.Decide(1, 2, [("c-1", Status(true, false, 1234))], stalled: false, Stall);
        Assert.Equal(2, decision.Replicas);
        Assert.Equal(["c-1"], decision.Leaving);
        Assert.True(decision.Condition.Status);
        Assert.Equal("Draining", decision.Condition.Reason);
        Assert.Contains("c-1 holds 1,234 events", decision.Condition.Message);
        Assert.False(decision.Blocked);
    }

    [Fact]
    public void LeavingPodNotAnswering_IsNotTakenForEmpty()
    {
        var decision = ScaleDown.Decide(1, 3, [("c-1", Status(true, true, 0)), ("c-2", null)], stalled: false, Stall);
        Assert.Equal(3, decision.Replicas);
        Assert.Contains("c-2 does not answer", decision.Condition.Message);
    }

    [Fact]
    public void EmptyButNotYetDraining_IsNotDrained()
    {
        // An agent that has not stopped its sources may receive more the next moment.
        var decision = ScaleDown.Decide(1, 2, [("c-1", Status(false, true, 0))], stalled: false, Stall);
        Assert.Equal(2, decision.Replicas);
    }

    [Fact]
    public void EveryLeavingPodDrainedAndEmpty_TheStatefulSetShrinks()
    {
        var decision = ScaleDown.Decide(1, 3, [("c-1", Status(true, true, 0)), ("c-2", Status(true, true, 0))], stalled: false, Stall);
        Assert.Equal(1, decision.Replicas);
        Assert.False(decision.Condition.Status);
        Assert.Equal("Drained", decision.Condition.Reason);
    }

    [Fact]
    public void NoProgress_DrainBlocked_ReplicasStillKept()
    {
        var decision = ScaleDown.Decide(1, 2, [("c-1", Status(true, false, 10))], stalled: true, Stall);
        Assert.Equal(2, decision.Replicas);
        Assert.True(decision.Blocked);
        Assert.Equal("DrainBlocked", decision.Condition.Reason);
        Assert.Contains("300 s", decision.Condition.Message);
    }

    [Fact]
    public void LeavingPods_AreTheHighestOrdinals()
    {
        Assert.Equal(["s-1", "s-2"], ScaleDown.LeavingPods("s", 1, 3));
        Assert.Empty(ScaleDown.LeavingPods("s", 3, 2));
    }

    [Fact]
    public void Progress_StalledOnlyAfterNoDecreaseForTheWholeStall()
    {
        var progress = new DrainProgress();
        var t0 = DateTimeOffset.UnixEpoch;
        Assert.False(progress.IsStalled(100, t0, Stall));
        Assert.False(progress.IsStalled(100, t0 + TimeSpan.FromMinutes(4), Stall));
        Assert.False(progress.IsStalled(90, t0 + TimeSpan.FromMinutes(6), Stall));
        Assert.True(progress.IsStalled(95, t0 + TimeSpan.FromMinutes(11), Stall));
    }

    private static DrainStatus Status(bool draining, bool empty, long events) => new(draining, empty, events, new Dictionary<string, long> { ["disk"] = events });
}
