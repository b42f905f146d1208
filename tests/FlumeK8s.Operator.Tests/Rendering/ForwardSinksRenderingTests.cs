using FlumeK8s.Operator.Rendering;
using FlumeK8s.Operator.Tiers;
using FlumeK8s.Runtime.Configuration;
using static FlumeK8s.Operator.Tests.Rendering.Fixtures;

namespace FlumeK8s.Operator.Tests.Rendering;

/// <summary>spec.forwardTo.sinks: several grpc sinks on each forwarded channel, each its own runner.</summary>
public sealed class ForwardSinksRenderingTests
{
    private static string WithForward(string forward) => Agent.Replace("  forwardTo: {name: collectors}", "  forwardTo: " + forward);

    private static Dictionary<string, string> Properties(string config) =>
        PropertiesReader.Read(config, new ConfigProblems()).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    [Fact]
    public void Render_SinksThree_ThreeGrpcSinksOnTheChannelWithTheSameProperties()
    {
        var config = Properties(Config(Render(WithForward("{name: collectors, sinks: 3, properties: {batch-size: \"100\", compression-type: gzip}}"))));

        Assert.Equal("forward-c1 forward-c1-2 forward-c1-3", config["agent.sinks"]);
        foreach (var sink in new[] { "forward-c1", "forward-c1-2", "forward-c1-3" })
        {
            Assert.Equal("grpc", config[$"agent.sinks.{sink}.type"]);
            Assert.Equal("c1", config[$"agent.sinks.{sink}.channel"]);
            Assert.Equal("dns:///collectors-headless.logs.svc.cluster.local:4141", config[$"agent.sinks.{sink}.hosts"]);
            Assert.Equal("100", config[$"agent.sinks.{sink}.batch-size"]);
            Assert.Equal("gzip", config[$"agent.sinks.{sink}.compression-type"]);
            Assert.Equal("true", config[$"agent.sinks.{sink}.ssl"]);
        }
        // No sink group: a group's processor drives its sinks one batch at a time, on one runner.
        Assert.DoesNotContain(config.Keys, k => k.StartsWith("agent.sinkgroups", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_SinksOmitted_OneSinkPerChannelNamedAsBefore()
    {
        var config = Properties(Config(Render(Agent)));

        Assert.Equal("forward-c1", config["agent.sinks"]);
    }

    [Fact]
    public void Render_SinksTwoOverTwoChannels_TwoSinksEach()
    {
        var config = Properties(Config(Render(Agent
            .Replace("channels: [c1]", "channels: [c1, c2]")
            .Replace("    - {name: c1, type: memory}", "    - {name: c1, type: memory}\n    - {name: c2, type: memory}")
            .Replace("  forwardTo: {name: collectors}", "  forwardTo: {name: collectors, sinks: 2}"))));

        Assert.Equal("forward-c1 forward-c1-2 forward-c2 forward-c2-2", config["agent.sinks"]);
        Assert.Equal("c2", config["agent.sinks.forward-c2-2.channel"]);
    }

    [Fact]
    public void Render_ChannelNamesWhoseSinksCollide_RefusedNamingTheChannels()
    {
        var result = TierRenderer.Render(Tier(Agent
            .Replace("channels: [c1]", "channels: [c1, c1-2]")
            .Replace("    - {name: c1, type: memory}", "    - {name: c1, type: memory}\n    - {name: c1-2, type: memory}")
            .Replace("  forwardTo: {name: collectors}", "  forwardTo: {name: collectors, sinks: 2}")), new RenderOptions());

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Key == "spec.forwardTo.channels" && e.Message.Contains("'forward-c1-2'"));
    }

    [Fact]
    public void Render_FlowSinkWithTheNameOfAnExtraForwardSink_Refused()
    {
        var result = TierRenderer.Render(Tier(Agent
            .Replace("    - {name: c1, type: memory}", "    - {name: c1, type: memory}\n    - {name: c2, type: memory}\n    sinks:\n    - {name: forward-c1-2, type: logger, channel: c2}")
            .Replace("  forwardTo: {name: collectors}", "  forwardTo: {name: collectors, channels: [c1], sinks: 2}")), new RenderOptions());

        Assert.Contains(result.Errors, e => e.Key == "spec.flow.sinks" && e.Message.Contains("'forward-c1-2' is reserved"));
    }

    [Theory]
    [InlineData("0", "spec.forwardTo.sinks")]
    [InlineData("17", "spec.forwardTo.sinks")]
    [InlineData("two", "spec.forwardTo.sinks")]
    public void Read_SinksOutOfRange_RefusedByTheSchemaWithTheField(string sinks, string field)
    {
        var read = TierReader.Read(WithForward($"{{name: collectors, sinks: {sinks}}}"));

        Assert.Empty(read.Tiers);
        Assert.Contains(read.Problems, p => p.Contains(field));
    }

    [Fact]
    public void Render_CollectorWithSinks_ForwardsToTheStoresWithThatManySinks()
    {
        var config = Properties(Config(Render(Collector + "\n  forwardTo: {name: stores, channels: [disk], sinks: 2}")));

        Assert.Equal("out forward-disk forward-disk-2", config["agent.sinks"]);
        Assert.Equal("dns:///stores-headless.logs.svc.cluster.local:4141", config["agent.sinks.forward-disk-2.hosts"]);
    }
}
