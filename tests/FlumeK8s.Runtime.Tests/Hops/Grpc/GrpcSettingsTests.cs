using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Topology;
using FlumeK8s.Runtime.Hops.Grpc;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Grpc;

public sealed class GrpcSettingsTests
{
    [Fact]
    public void SinkRead_Defaults_FlumeHopDefaults()
    {
        var settings = GrpcHarness.SinkSettings("hosts=h1:4141");

        Assert.Equal(100, settings.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.ConnectTimeout);
        Assert.False(settings.Gzip);
        Assert.Equal("round_robin", settings.Selector);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Backoff.Max);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.DnsRefreshInterval);
        Assert.Null(settings.Tls);
        Assert.Equal(1, settings.CompressionLevel);
    }

    [Fact]
    public void SinkRead_CompressionLevelWithGzip_Taken()
    {
        var settings = GrpcHarness.SinkSettings("hosts=h1", "compression-type=gzip", "compression-level=6");

        Assert.True(settings.Gzip);
        Assert.Equal(6, settings.CompressionLevel);
    }

    [Theory]
    [InlineData("compression-type=gzip", "compression-level=0", "below the minimum 1")]
    [InlineData("compression-type=gzip", "compression-level=10", "above the maximum 9")]
    [InlineData("compression-type=none", "compression-level=6", "applies only with compression-type = gzip")]
    public void SinkRead_BadCompressionLevel_ReportedAgainstTheKey(string type, string level, string expected)
    {
        var (context, problems) = TestPipeline.Context("hosts=h1", type, level);

        GrpcSinkSettings.Read(context);

        var problem = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1.compression-level", problem.Key);
        Assert.Contains(expected, problem.Message);
    }

    [Theory]
    [InlineData("batch-size=7", 7)]
    [InlineData("batchSize=9", 9)]
    public void SinkRead_EitherBatchSizeSpelling_Accepted(string property, int expected)
    {
        Assert.Equal(expected, GrpcHarness.SinkSettings("hosts=h1", property).BatchSize);
    }

    [Fact]
    public void SinkRead_BadValues_EveryProblemReported()
    {
        var (context, problems) = TestPipeline.Context(
            "hosts=h1", "selector=sticky", "compression-type=deflate", "ssl=true", "truststore=/nonexistent/ca.pem",
            "truststore-type=JKS", "ssl.certificate=/nonexistent/c.pem", "minBackoff=5000", "maxBackoff=1000");

        GrpcSinkSettings.Read(context);

        Assert.Equal(
            ["maxBackoff", "compression-type", "selector", "truststore-type", "truststore", "ssl.certificate", "ssl.key"],
            problems.Errors.Select(e => e.Key["a1.sources.r1.".Length..]));
    }

    [Fact]
    public void SourceRead_Defaults_InFlightBudgetIsFourMaximumMessages()
    {
        var (context, problems) = TestPipeline.Context();

        var settings = GrpcSourceSettings.Read(context);

        Assert.Empty(problems.Errors);
        Assert.Equal(16 * 1024 * 1024, settings.MaxMessageBytes);
        Assert.Equal(64L * 1024 * 1024, settings.MaxInFlightBytes);
    }

    [Fact]
    public void SourceRead_InFlightBudgetBelowOneMessage_Error()
    {
        var (context, problems) = TestPipeline.Context("maxMessageBytes=100000", "maxInFlightBytes=50000");

        GrpcSourceSettings.Read(context);

        var error = Assert.Single(problems.Errors);
        Assert.EndsWith("maxInFlightBytes", error.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceRead_TlsWithRequiredClientAuth_NeedsCertificateKeyAndCa()
    {
        var (context, problems) = TestPipeline.Context("ssl=true", "ssl.clientAuth=required", "keystore=/x.jks");

        var settings = GrpcSourceSettings.Read(context);

        Assert.Equal(4141, settings.Port);
        Assert.Equal("0.0.0.0", settings.Bind);
        Assert.Equal(
            ["keystore", "ssl.certificate", "ssl.key", "ssl.clientCA"],
            problems.Errors.Select(e => e.Key["a1.sources.r1.".Length..]));
    }

    [Theory]
    [InlineData("grpc-collector.properties", "collector")]
    [InlineData("grpc-agent.properties", "agent")]
    public void Load_Examples_ValidWithTheGrpcHop(string file, string agent)
    {
        var text = File.ReadAllText(Path.Combine(PythonGrpc.RepositoryRoot, "examples", "flume", file));

        var result = Load(text, agent);

        Assert.Empty(result.Problems.Errors);
        Assert.Empty(result.Problems.Warnings);
    }

    [Fact]
    public void Load_SinkBatchLargerThanTransaction_ReportedAgainstBatchSize()
    {
        var result = Load("""
            a1.sources = r1
            a1.channels = c1
            a1.sinks = k1
            a1.sources.r1.type = grpc
            a1.sources.r1.channels = c1
            a1.channels.c1.type = memory
            a1.sinks.k1.type = grpc
            a1.sinks.k1.channel = c1
            a1.sinks.k1.hosts = dns:///collectors:4141
            a1.sinks.k1.batch-size = 500
            """, "a1");

        Assert.Equal("a1.sinks.k1.batch-size", Assert.Single(result.Problems.Errors).Key);
    }

    private static LoadResult Load(string text, string agent) =>
        new ConfigLoader(agent, new Substitution(new Dictionary<string, string>(), _ => null), ComponentCatalog.Default).Load(text);
}
