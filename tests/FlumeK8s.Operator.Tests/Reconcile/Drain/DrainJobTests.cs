using System.Text.Json.Nodes;
using FlumeK8s.Operator.Reconcile.Drain;
using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tests.Rendering;

namespace FlumeK8s.Operator.Tests.Reconcile.Drain;

public sealed class DrainJobTests
{
    private static JsonObject StatefulSet() =>
        TierRenderer.Render(Fixtures.Tier(Fixtures.Collector), new RenderOptions()).Objects.Single(o => o["kind"]!.GetValue<string>() == "StatefulSet");

    [Fact]
    public void TheTiersOwnPodOnTheClaim_WithItsAgentDraining_AndNoProbes()
    {
        var sts = StatefulSet();
        var job = DrainJob.Render(sts, "state-collectors-2", 120);

        Assert.Equal("state-collectors-2-drain", job["metadata"]!["name"]!.GetValue<string>());
        var pod = job["spec"]!["template"]!["spec"]!;
        Assert.Equal("Never", pod["restartPolicy"]!.GetValue<string>());
        var claim = pod["volumes"]!.AsArray().Single(v => v!["persistentVolumeClaim"] is not null)!;
        Assert.Equal("state-collectors-2", claim["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        Assert.Equal(sts["spec"]!["volumeClaimTemplates"]![0]!["metadata"]!["name"]!.GetValue<string>(), claim["name"]!.GetValue<string>());
        var agent = pod["containers"]![0]!;
        Assert.Equal(sts["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>(), agent["image"]!.GetValue<string>());
        Assert.EndsWith("\"--drain\",\"--drain-stall\",\"120\"]", agent["args"]!.ToJsonString());
        Assert.Null(agent["readinessProbe"]);
        Assert.Null(agent["startupProbe"]);
        Assert.Null(agent["livenessProbe"]);
    }

    [Fact]
    public void ItsPodsCarryNoneOfTheTiersLabels_SoNoServiceSendsToThem()
    {
        var sts = StatefulSet();
        var labels = DrainJob.Render(sts, "state-collectors-2", 120)["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var selector = sts["spec"]!["selector"]!["matchLabels"]!.AsObject();
        Assert.False(selector.All(s => labels[s.Key]?.GetValue<string>() == s.Value!.GetValue<string>()));
        Assert.Equal("state-collectors-2", labels[DrainJob.ClaimLabel]!.GetValue<string>());
    }

    [Fact]
    public void TheRenderedStatefulSetIsNotChanged()
    {
        var sts = StatefulSet();
        var before = sts.ToJsonString();
        DrainJob.Render(sts, "state-collectors-2", 120);
        Assert.Equal(before, sts.ToJsonString());
    }
}
