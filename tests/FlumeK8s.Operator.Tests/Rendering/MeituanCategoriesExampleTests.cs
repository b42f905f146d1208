using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tests.Certificates;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>examples/meituan/categories.yaml renders for a cluster, and its collectors route every category to its own output.</summary>
public sealed class MeituanCategoriesExampleTests
{
    private static readonly string ExamplePath = Path.Combine(RepositoryRoot, "examples", "meituan", "categories.yaml");

    [Fact]
    public void Render_CategoriesExample_CollectorsRouteEachCategoryToItsOwnChannelAndSink()
    {
        var read = TierReader.Read(File.ReadAllText(ExamplePath));
        Assert.Empty(read.Problems);

        var results = TierRenderer.RenderAll(read.Tiers, new RenderOptions());

        Assert.All(results, r => Assert.True(r.IsValid, string.Join("\n", r.Errors)));
        Assert.All(results, r => Assert.Empty(r.Warnings));
        var collector = Assert.Single(results, r => r.Tier.Kind == TierKind.CollectorTier).Config!.Text;
        Assert.Contains("agent.sources.hop.selector.type = multiplexing\n", collector);
        foreach (var (category, channel) in new[] { ("b", "chHdfs_b"), ("m", "chHdfs_m"), ("s", "chHdfs_s"), ("rt", "chKafka"), ("bypass", "chBypass"), ("debug", "chNull") })
        {
            Assert.Contains($"agent.sources.hop.selector.mapping.{category} = {channel}\n", collector);
        }
        foreach (var (sink, channel, type) in new[] { ("sinkHdfs_b", "chHdfs_b", "hdfs"), ("sinkHdfs_m", "chHdfs_m", "hdfs"), ("sinkHdfs_s", "chHdfs_s", "hdfs"), ("sinkKafka", "chKafka", "kafka"), ("sinkBypass", "chBypass", "avro") })
        {
            Assert.Contains($"agent.sinks.{sink}.type = {type}\n", collector);
            Assert.Contains($"agent.sinks.{sink}.channel = {channel}\n", collector);
            Assert.Contains($"agent.channels.{channel}.type = spillablememory\n", collector);
        }
        Assert.Contains("agent.channels.chNull.type = null\n", collector);
        Assert.DoesNotContain("agent.sinks.forward-", collector);
    }

    [Fact]
    public void Render_CategoriesExample_RenderedConfigsPassTheAgentsLoaderWithTheOutputsConfigMap()
    {
        var read = TierReader.Read(File.ReadAllText(ExamplePath));
        var environment = new Dictionary<string, string>
        {
            ["POD_NAME"] = "collectors-0", ["NODE_NAME"] = "node-1", ["POD_NAMESPACE"] = "logging",
            ["KAFKA_BOOTSTRAP"] = "kafka-0:9092", ["KAFKA_MOCK_BROKERS"] = "0", ["BYPASS_HOST"] = "bypass-consumer.search.svc",
        };
        var loader = new ConfigLoader("agent", new Substitution(new Dictionary<string, string>(), environment.GetValueOrDefault), ComponentCatalog.Default);

        using var tls = new PodTlsFiles();
        var configs = TierRenderer.RenderAll(read.Tiers, new RenderOptions()).Select(r => tls.Mount(Config(r))).ToList();

        Assert.Equal(2, configs.Count);
        foreach (var config in configs)
        {
            var loaded = loader.Load(config);
            Assert.True(loaded.Plan is not null, string.Join("\n", loaded.Problems.Errors));
            Assert.Empty(loaded.Problems.Warnings);
        }
    }
}
