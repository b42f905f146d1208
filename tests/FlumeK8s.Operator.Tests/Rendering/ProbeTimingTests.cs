using System.Text.Json.Nodes;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>Probe timings sized for a small node: a generous, frequent startup probe, then readiness and liveness with room to answer.</summary>
public sealed class ProbeTimingTests
{
    [Theory]
    [InlineData(Collector, "StatefulSet")]
    [InlineData(Agent, "DaemonSet")]
    public void Probes_StartupEvery2sForTenMinutes_AllWith5sTimeouts(string tier, string workload)
    {
        var container = Container(Object(Render(tier), workload));
        var startup = Probe(container, "startupProbe");
        var readiness = Probe(container, "readinessProbe");
        var liveness = Probe(container, "livenessProbe");

        Assert.Equal(2, (int)startup["periodSeconds"]!);
        Assert.Equal(600, (int)startup["periodSeconds"]! * (int)startup["failureThreshold"]!);
        Assert.All([startup, readiness, liveness], p => Assert.Equal(5, (int)p["timeoutSeconds"]!));
        Assert.Equal(5, (int)readiness["periodSeconds"]!);
        Assert.Equal(10, (int)liveness["periodSeconds"]!);
    }

    [Fact]
    public void ForwardingSinks_ResolveTheNextTierEvery5s_UnlessTheTierSaysOtherwise()
    {
        var byDefault = Config(Render(Agent));
        var own = Config(Render(Agent.Replace("forwardTo: {name: collectors}", "forwardTo: {name: collectors, properties: {dns.refreshInterval: \"2000\"}}")));

        Assert.Contains("agent.sinks.forward-c1.dns.refreshInterval = 5000\n", byDefault);
        Assert.Contains("agent.sinks.forward-c1.dns.refreshInterval = 2000\n", own);
        Assert.DoesNotContain("= 5000", own);
    }

    private static JsonObject Probe(JsonObject container, string name) => container[name]!.AsObject();
}
