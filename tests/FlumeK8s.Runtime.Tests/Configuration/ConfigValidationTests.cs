using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;

namespace FlumeK8s.Runtime.Tests.Configuration;

public sealed class ConfigValidationTests
{
    private const string Valid = """
        a1.sources = r1
        a1.channels = c1
        a1.sinks = k1
        a1.sources.r1.type = seq
        a1.sources.r1.channels = c1
        a1.channels.c1.type = memory
        a1.sinks.k1.type = null
        a1.sinks.k1.channel = c1
        """;

    private static LoadResult Load(string text, IReadOnlyDictionary<string, string>? system = null, Func<string, string?>? env = null) =>
        new ConfigLoader("a1", new Substitution(system ?? new Dictionary<string, string>(), env ?? (_ => null)), ComponentCatalog.Default).Load(text);

    private static IReadOnlyList<ConfigProblem> Errors(string text) => Load(text).Problems.Errors;

    [Fact]
    public void Load_ValidConfig_GivesPlan()
    {
        var result = Load(Valid);
        Assert.Empty(result.Problems.Errors);
        Assert.NotNull(result.Plan);
        Assert.Equal("seq", result.Plan!.Sources[0].Type);
    }

    [Fact]
    public void Load_TypesAreCaseInsensitiveAndFlumeClassNamesWork()
    {
        var result = Load(Valid.Replace("type = seq", "type = SEQ").Replace("type = null", "type = org.apache.flume.sink.NullSink"));
        Assert.Empty(result.Problems.Errors);
    }

    [Fact]
    public void Load_UnknownType_ListsKnownTypesWithKeyAndLine()
    {
        var problem = Assert.Single(Errors(Valid.Replace("type = null", "type = nosuch")));
        Assert.Equal("a1.sinks.k1.type", problem.Key);
        Assert.Equal(7, problem.Line);
        Assert.Contains("unknown sink type 'nosuch'", problem.Message);
        Assert.Contains("logger", problem.Message);
    }

    [Fact]
    public void Load_BadNumber_NamesValue()
    {
        var problem = Assert.Single(Errors(Valid + "\na1.channels.c1.capacity = lots"));
        Assert.Equal("a1.channels.c1.capacity", problem.Key);
        Assert.Contains("'lots' is not a whole number", problem.Message);
    }

    [Fact]
    public void Load_DanglingChannels_ReportedForSourceAndSink()
    {
        var errors = Errors(Valid.Replace("r1.channels = c1", "r1.channels = c1 c9").Replace("k1.channel = c1", "k1.channel = c8"));
        Assert.Contains(errors, e => e.Key == "a1.sources.r1.channels" && e.Message.Contains("'c9'"));
        Assert.Contains(errors, e => e.Key == "a1.sinks.k1.channel" && e.Message.Contains("'c8'"));
    }

    [Fact]
    public void Load_MissingRequired_ReportsKey()
    {
        var errors = Errors(Valid.Replace("a1.sinks.k1.channel = c1", ""));
        Assert.Contains(errors, e => e.Key == "a1.sinks.k1.channel" && e.Message.Contains("required"));
    }

    [Theory]
    [InlineData("memory", "capacity", "lots")]
    [InlineData("file", "capacity", "1e6")]
    [InlineData("spillablememory", "memoryCapacity", "lots")]
    [InlineData("spillablememory", "overflowCapacity", "-5")]
    public void Load_BadCapacity_OnlyThatErrorIsReported(string type, string key, string value)
    {
        var problem = Assert.Single(Errors(Valid.Replace("type = memory", $"type = {type}")
            + $"\na1.channels.c1.{key} = {value}\na1.channels.c1.transactionCapacity = 200000000"
            + "\na1.channels.c1.checkpointDir = /tmp/unused-cp\na1.channels.c1.dataDirs = /tmp/unused-data"));
        Assert.Equal($"a1.channels.c1.{key}", problem.Key);
    }

    [Fact]
    public void Load_TransactionCapacityAboveCapacity_IsAnError()
    {
        var problem = Assert.Single(Errors(Valid + "\na1.channels.c1.capacity = 50\na1.channels.c1.transactionCapacity = 80"));
        Assert.Equal("a1.channels.c1.transactionCapacity", problem.Key);
        Assert.Contains("transactionCapacity 80 is larger than capacity (50)", problem.Message);
    }

    [Fact]
    public void Load_BadTransactionCapacity_NoBatchSizeErrorFollows()
    {
        var problem = Assert.Single(Errors(Valid + "\na1.channels.c1.capacity = 10000\na1.channels.c1.transactionCapacity = 1k\na1.sinks.k1.batchSize = 500"));
        Assert.Equal("a1.channels.c1.transactionCapacity", problem.Key);
        Assert.Contains("'1k' is not a whole number", problem.Message);
    }

    [Fact]
    public void Load_BatchSizeAboveTransactionCapacity_IsAnError()
    {
        var errors = Errors(Valid + "\na1.channels.c1.transactionCapacity = 10\na1.sinks.k1.batchSize = 50\na1.sources.r1.batchSize = 20");
        Assert.Contains(errors, e => e.Key == "a1.sinks.k1.batchSize" && e.Message.Contains("transactionCapacity 10"));
        Assert.Contains(errors, e => e.Key == "a1.sources.r1.batchSize");
    }

    [Fact]
    public void Load_SinkInTwoGroups_IsAnError()
    {
        var text = Valid.Replace("a1.sinks = k1", "a1.sinks = k1 k2") + """

            a1.sinks.k2.type = null
            a1.sinks.k2.channel = c1
            a1.sinkgroups = g1 g2
            a1.sinkgroups.g1.sinks = k1 k2
            a1.sinkgroups.g1.processor.type = load_balance
            a1.sinkgroups.g2.sinks = k1
            """;
        var problem = Assert.Single(Errors(text));
        Assert.Equal("a1.sinkgroups.g2.sinks", problem.Key);
        Assert.Contains("already in sink group 'g1'", problem.Message);
    }

    [Fact]
    public void Load_ProcessorSinkCounts_Checked()
    {
        var text = Valid + "\na1.sinkgroups = g1\na1.sinkgroups.g1.sinks = k1\na1.sinkgroups.g1.processor.type = load_balance";
        Assert.Contains(Errors(text), e => e.Message.Contains("at least two sinks"));
    }

    [Fact]
    public void Load_EveryProblemReportedAtOnce()
    {
        var text = """
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1 k2
            a1.sources.r1.type = nosuch
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.channels.c1.capacity = -5
            a1.sinks.k1.type = null
            a1.sinks.k2.type = logger
            a1.sinks.k2.channel = c2
            a1.sinks.k3.type = null
            """;
        var errors = Errors(text);
        Assert.Contains(errors, e => e.Key == "a1.sources.r1.type");
        Assert.Contains(errors, e => e.Key == "a1.channels.c1.capacity");
        Assert.Contains(errors, e => e.Key == "a1.sinks.k1.channel");
        Assert.Contains(errors, e => e.Key == "a1.sinks.k2.channel");
        Assert.Contains(errors, e => e.Key == "a1.sinks.k3.type" && e.Message.Contains("not listed"));
        Assert.True(errors.Count >= 5);
    }

    [Fact]
    public void Load_DuplicateKeyAndEmptyValueAndStrayKey_AreErrors()
    {
        var errors = Errors(Valid + "\na1.sinks.k1.batchSize = 10\na1.sinks.k1.batchSize = 20\na1.sinks.k1.maxBytesToLog =\na1.bogus = 1");
        Assert.Contains(errors, e => e.Message.Contains("defined twice"));
        Assert.Contains(errors, e => e.Message.Contains("empty value"));
        Assert.Contains(errors, e => e.Key == "a1.bogus");
    }

    [Fact]
    public void Load_OtherAgentsKeys_Ignored_ButMissingAgentReported()
    {
        Assert.Empty(Errors(Valid + "\na2.sources = whatever"));
        var problem = Assert.Single(Load(Valid.Replace("a1.", "a2.")).Problems.Errors);
        Assert.Contains("no configuration for agent 'a1'", problem.Message);
        Assert.Contains("a2", problem.Message);
    }

    [Fact]
    public void Load_Substitution_EnvSysAndEarlierKeys()
    {
        var text = Valid.Replace("a1.sources.r1.channels = c1", "a1.sources.r1.channels = ${env:CH}")
                   + "\na1.sinks.k1.batchSize = ${sys:batch}\na1.channels.c1.transactionCapacity = ${a1.sinks.k1.batchSize}";
        var result = Load(text, new Dictionary<string, string> { ["batch"] = "7" }, name => name == "CH" ? "c1" : null);
        Assert.Empty(result.Problems.Errors);
        Assert.Equal(7, result.Plan!.Channels[0].Plan.Settings.TransactionCapacity);
    }

    [Fact]
    public void Load_UnresolvedSubstitution_IsAnError()
    {
        var errors = Errors(Valid + "\na1.sinks.k1.batchSize = ${env:NOPE_NOT_SET}");
        Assert.Contains(errors, e => e.Key == "a1.sinks.k1.batchSize" && e.Line == 9 && e.Message.Contains("${env:NOPE_NOT_SET}: no such environment variable"));
    }

    [Fact]
    public void Load_UnknownProperty_IsAWarningNotAnError()
    {
        var result = Load(Valid + "\na1.sinks.k1.batchsize = 10");
        Assert.Empty(result.Problems.Errors);
        Assert.Contains(result.Problems.Warnings, w => w.Key == "a1.sinks.k1.batchsize");
    }

    [Fact]
    public void Load_SelectorNamesUnknownChannel_IsAnError()
    {
        var text = Valid + "\na1.sources.r1.selector.type = multiplexing\na1.sources.r1.selector.mapping.x = c7";
        Assert.Contains(Errors(text), e => e.Key == "a1.sources.r1.selector.mapping.x");
    }

    [Fact]
    public void Load_UnknownInterceptorType_IsAnError()
    {
        var text = Valid + "\na1.sources.r1.interceptors = i1\na1.sources.r1.interceptors.i1.type = nosuch";
        Assert.Contains(Errors(text), e => e.Key == "a1.sources.r1.interceptors.i1.type");
    }

    [Fact]
    public void Load_NoChannelsNoSourcesNoSinks_IsAnError()
    {
        var errors = Errors("a1.sources.r1.type = seq");
        Assert.Contains(errors, e => e.Message.Contains("no channels"));
        Assert.Contains(errors, e => e.Message.Contains("neither sources nor sinks"));
    }
}
