using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Agent.Tests;

/// <summary>The Meituan agent tier as plain Flume configurations (taildir → file → grpc or avro) loads as the agent loads it.</summary>
public sealed class TaildirAgentExampleTests
{
    [Theory]
    [InlineData("flume/taildir-file-grpc.properties")]
    [InlineData("flume/taildir-file-avro.properties")]
    public void Load_TaildirFileHopExample_ValidWithoutWarnings(string example)
    {
        var loader = new ConfigLoader("agent", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default);

        var loaded = loader.Load(File.ReadAllText(AgentProcess.Example(example)));

        Assert.True(loaded.Plan is not null, string.Join("\n", loaded.Problems.Errors));
        Assert.Empty(loaded.Problems.Warnings);
    }
}
