using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tests.Certificates;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>examples/meituan/tiers.yaml renders, and what its agents would run is a valid configuration.</summary>
public sealed class MeituanExampleTests
{
    private static readonly string ExamplePath = Path.Combine(RepositoryRoot, "examples", "meituan", "tiers.yaml");

    [Fact]
    public void Render_MeituanExample_AgentDaemonSetTwoCollectorsAndAStoreWiredByHeadlessServices()
    {
        var read = TierReader.Read(File.ReadAllText(ExamplePath));
        Assert.Empty(read.Problems);
        var results = TierRenderer.RenderAll(read.Tiers, new RenderOptions());

        Assert.All(results, r => Assert.True(r.IsValid, string.Join("\n", r.Errors)));
        Assert.All(results, r => Assert.Empty(r.Warnings));
        var agent = Assert.Single(results, r => r.Tier is AgentTier { Spec.Mode: AgentMode.DaemonSet });
        var collector = Assert.Single(results, r => r.Tier.Kind == TierKind.CollectorTier);
        var store = Assert.Single(results, r => r.Tier.Kind == TierKind.StoreTier);
        Assert.Equal(2, (int)Object(collector, "StatefulSet")["spec"]!["replicas"]!);
        Assert.Contains("agent.sources.app-logs.type = taildir\n", agent.Config!.Text);
        // The agent tier's hop runs two sinks on its channel (bench/README.md "Hops").
        Assert.Contains("agent.sinks = forward-buffer forward-buffer-2\n", agent.Config.Text);
        Assert.Contains($"hosts = dns:///{TierNames.HeadlessService(collector.Tier.Metadata.Name)}.logging.svc.cluster.local:4141\n", agent.Config.Text);
        Assert.Contains($"hosts = dns:///{TierNames.HeadlessService(store.Tier.Metadata.Name)}.logging.svc.cluster.local:4141\n", collector.Config!.Text);
        Assert.Contains("agent.sources.hop.port = 4141\n", store.Config!.Text);
        Assert.Contains(".type = hdfs\n", store.Config.Text);
        Assert.All([agent, collector, store], r => Assert.Contains(".type = file\n", r.Config!.Text));
    }

    [Fact]
    public void Render_MeituanExample_RenderedConfigMapsPassTheAgentsLoader()
    {
        var read = TierReader.Read(File.ReadAllText(ExamplePath));
        var environment = new Dictionary<string, string> { ["POD_NAME"] = "stores-0", ["NODE_NAME"] = "node-1", ["POD_NAMESPACE"] = "logging" };
        var loader = new ConfigLoader("agent", new Substitution(new Dictionary<string, string>(), environment.GetValueOrDefault), ComponentCatalog.Default);

        using var tls = new PodTlsFiles();
        var configs = TierRenderer.RenderAll(read.Tiers, new RenderOptions()).Select(r => tls.Mount(Config(r))).ToList();

        Assert.Equal(3, configs.Count);
        foreach (var config in configs)
        {
            var loaded = loader.Load(config);
            Assert.True(loaded.Plan is not null, string.Join("\n", loaded.Problems.Errors));
            Assert.Empty(loaded.Problems.Warnings);
        }
    }

    [Fact]
    public void Render_KafkaStoreVariant_AValidKafkaSinkConfigurationThatTheAgentsLoaderAccepts()
    {
        var read = TierReader.Read(File.ReadAllText(Path.Combine(RepositoryRoot, "examples", "meituan", "store-kafka.yaml")));
        Assert.Empty(read.Problems);
        var environment = new Dictionary<string, string> { ["POD_NAME"] = "stores-0", ["POD_NAMESPACE"] = "logging" };
        var loader = new ConfigLoader("agent", new Substitution(new Dictionary<string, string>(), environment.GetValueOrDefault), ComponentCatalog.Default);

        var store = Assert.Single(TierRenderer.RenderAll(read.Tiers, new RenderOptions()));

        Assert.True(store.IsValid, string.Join("\n", store.Errors));
        Assert.Contains("agent.sinks.realtime.type = kafka\n", store.Config!.Text);
        using var tls = new PodTlsFiles();
        var loaded = loader.Load(tls.Mount(Config(store)));
        Assert.True(loaded.Plan is not null, string.Join("\n", loaded.Problems.Errors));
        Assert.Empty(loaded.Problems.Warnings);
    }
}
