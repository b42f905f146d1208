using System.Runtime.CompilerServices;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Topology;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

/// <summary>The two example configurations run as two agents: seq → memory → avro sink, deflated, into avro source → memory → logger.</summary>
public sealed class AvroExamplesScenarioTests
{
    [Fact]
    public async Task Examples_AgentToCollector_DeliverEveryEvent()
    {
        // Port 0 lets the system choose the collector's port; the agent is pointed at it.
        var collectorText = (await File.ReadAllTextAsync(Example("avro-collector.properties"))).Replace("port = 4141", "port = 0", StringComparison.Ordinal);
        await using var collector = new AgentHost(AgentServices.ForTests("collector"), new MetricsRegistry());
        await Eventually.Within(collector.ApplyAsync(Load("collector", collectorText), CancellationToken.None));
        var source = Assert.IsType<AvroSource>(Assert.Single(collector.Sources));

        var agentText = (await File.ReadAllTextAsync(Example("avro-agent.properties"))).Replace("port = 4141", $"port = {source.Port}", StringComparison.Ordinal);
        await using var agent = new AgentHost(AgentServices.ForTests("agent"), new MetricsRegistry());
        await Eventually.Within(agent.ApplyAsync(Load("agent", agentText), CancellationToken.None));

        await Eventually.TrueAsync(() => source.Counter.EventsAccepted == 1000, "1000 events accepted by the collector");
        await Eventually.Within(agent.ShutdownAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        await Eventually.Within(collector.ShutdownAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(10, source.Counter.Get("AppendBatchAcceptedCount"));
    }

    private static TopologyPlan Load(string agentName, string text)
    {
        var loaded = new ConfigLoader(agentName, new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load(text);
        Assert.True(loaded.Plan is not null, string.Join("; ", loaded.Problems.Errors));
        Assert.Empty(loaded.Problems.Warnings);
        return loaded.Plan;
    }

    private static string Example(string name, [CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../../../examples/flume", name));
}
