using FlumeK8s.Operator.Reconcile.Pods;
using static FlumeK8s.Operator.Tests.Reconcile.Pods.TierPods;

namespace FlumeK8s.Operator.Tests.Reconcile.Pods;

public sealed class PodStateTests
{
    [Fact]
    public void Read_StartedAgentNotReady_IsAskedWhy()
    {
        var state = PodState.Read(Pod("collectors-0", Started(ready: false)));

        Assert.Equal("collectors-0", state.Name);
        Assert.False(state.Ready);
        Assert.True(state.AgentStarted);
        Assert.Null(state.Problem);
        Assert.True(state.NeedsDiagnosis);
    }

    [Fact]
    public void Read_Ready_StillStarting_New_OrStopping_NeedNoDiagnosis()
    {
        Assert.False(PodState.Read(Pod("p", Started(ready: true))).NeedsDiagnosis);
        Assert.False(PodState.Read(Pod("p", Starting)).NeedsDiagnosis);
        Assert.False(PodState.Read(Pod("p", New)).NeedsDiagnosis);
        Assert.False(PodState.Read(Pod("p", Waiting("agent", "ContainerCreating", ""))).NeedsDiagnosis);
        var stopping = PodState.Read(Pod("p", Started(ready: false), """, "deletionTimestamp": "2026-01-01T00:00:00Z" """));
        Assert.True(stopping.Terminating);
        Assert.False(stopping.NeedsDiagnosis);
    }

    [Fact]
    public void Read_ProblemsKubernetesReports_AreTheReason()
    {
        var crashing = PodState.Read(Pod("p", Waiting("agent", "CrashLoopBackOff", "back-off 40s restarting failed container=agent")));
        var chown = PodState.Read(Pod("p", Waiting("chown-volumes", "ImagePullBackOff", "Back-off pulling image", init: true)));
        var unschedulable = PodState.Read(Pod("p", Unschedulable));

        Assert.Equal("container agent: CrashLoopBackOff: back-off 40s restarting failed container=agent", crashing.Problem);
        Assert.Equal("container chown-volumes: ImagePullBackOff: Back-off pulling image", chown.Problem);
        Assert.Equal("Unschedulable: 0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims.", unschedulable.Problem);
        Assert.All([crashing, chown, unschedulable], s => Assert.True(s.NeedsDiagnosis));
    }
}
