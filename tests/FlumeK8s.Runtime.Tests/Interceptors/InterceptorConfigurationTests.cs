using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Tests.Interceptors;

/// <summary>Interceptors configured in a whole Flume properties file, as an agent loads it.</summary>
public sealed class InterceptorConfigurationTests
{
    private const string Agent = """
        a1.sources = r1
        a1.channels = c1
        a1.sources.r1.type = seq
        a1.sources.r1.channels = c1
        a1.channels.c1.type = memory
        a1.sources.r1.interceptors = ts ex
        a1.sources.r1.interceptors.ts.type = org.apache.flume.interceptor.TimestampInterceptor$Builder
        a1.sources.r1.interceptors.ex.type = regex_extractor
        a1.sources.r1.interceptors.ex.regex = (\\d+)
        a1.sources.r1.interceptors.ex.serializers = n
        a1.sources.r1.interceptors.ex.serializers.n.name = number
        a1.sinks = k1
        a1.sinks.k1.type = null
        a1.sinks.k1.channel = c1

        """;

    private static LoadResult Load(string text) =>
        new ConfigLoader("a1", new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load(text);

    [Fact]
    public void Load_ValidInterceptors_PlansBothWithoutProblems()
    {
        var result = Load(Agent);

        Assert.Empty(result.Problems.Errors);
        Assert.Empty(result.Problems.Warnings.Select(w => w.ToString()));
        Assert.Equal(2, Assert.Single(result.Plan!.Sources).Interceptors.Count);
    }

    [Fact]
    public void Load_BadRegex_ReportsTheFullKeyAndLine()
    {
        var result = Load(Agent.Replace(@"(\\d+)", @"(\\d+"));

        Assert.Null(result.Plan);
        var error = Assert.Single(result.Problems.Errors);
        Assert.Equal("a1.sources.r1.interceptors.ex.regex", error.Key);
        Assert.Equal(9, error.Line);
    }

    [Fact]
    public void Load_SerializerWithoutName_ReportsItsKey()
    {
        var result = Load(Agent.Replace("serializers.n.name", "serializers.n.nmae"));

        Assert.Equal("a1.sources.r1.interceptors.ex.serializers.n.name", Assert.Single(result.Problems.Errors).Key);
    }
}
