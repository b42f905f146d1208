using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sinks.FileRoll;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sinks.FileRoll;

public sealed class FileRollSinkSettingsTests
{
    [Fact]
    public void Read_OnlyDirectory_FlumeDefaults()
    {
        var (context, problems) = TestPipeline.Context("sink.directory=/var/log/flume");

        var settings = FileRollSinkSettings.Read(context);

        Assert.False(problems.HasErrors);
        Assert.Equal(new FileRollSinkSettings("/var/log/flume", TimeSpan.FromSeconds(30), FileRollSerializerKind.Text, true, 100,
            FileRollPathManagerKind.Default, "", ""), settings);
    }

    [Theory]
    [InlineData("header_and_text", FileRollSerializerKind.HeaderAndText)]
    [InlineData("org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder", FileRollSerializerKind.HeaderAndText)]
    [InlineData("Text", FileRollSerializerKind.Text)]
    [InlineData("org.apache.flume.serialization.BodyTextEventSerializer$Builder", FileRollSerializerKind.Text)]
    public void Read_SerializerNamesAndClassNames_Accepted(string value, FileRollSerializerKind expected)
    {
        var (context, problems) = TestPipeline.Context("sink.directory=/d", "sink.serializer=" + value);

        Assert.Equal(expected, FileRollSinkSettings.Read(context).Serializer);
        Assert.False(problems.HasErrors);
    }

    [Theory]
    [InlineData("rolltime", FileRollPathManagerKind.RollTime)]
    [InlineData("DEFAULT", FileRollPathManagerKind.Default)]
    [InlineData("org.apache.flume.formatter.output.RollTimePathManager$Builder", FileRollPathManagerKind.RollTime)]
    public void Read_PathManagerNames_Accepted(string value, FileRollPathManagerKind expected)
    {
        var (context, problems) = TestPipeline.Context("sink.directory=/d", "sink.pathManager=" + value);

        Assert.Equal(expected, FileRollSinkSettings.Read(context).PathManager);
        Assert.False(problems.HasErrors);
    }

    [Fact]
    public void Read_EveryBadValue_ReportedWithItsKey()
    {
        var (context, problems) = TestPipeline.Context(
            "sink.rollInterval=-1", "sink.serializer=AVRO_EVENT", "sink.batchSize=0", "sink.pathManager=HOURLY",
            "sink.pathManager.prefix=a/b", "sink.serializer.appendNewline=maybe");

        FileRollSinkSettings.Read(context);

        var keys = problems.Errors.Select(p => p.Key[("a1.sources.r1.").Length..]).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["sink.batchSize", "sink.directory", "sink.pathManager", "sink.pathManager.prefix", "sink.rollInterval", "sink.serializer", "sink.serializer.appendNewline"],
            keys);
    }

    [Theory]
    [InlineData("file_roll")]
    [InlineData("FILE_ROLL")]
    [InlineData("org.apache.flume.sink.RollingFileSink")]
    public void SinkCatalog_FileRoll_KnownWithItsBatchSizeKey(string type)
    {
        var (context, problems) = TestPipeline.Context("sink.directory=/d", "sink.batchSize=42");

        var plan = SinkCatalog.All.Single(t => t.Matches(type)).Configure(context);

        Assert.False(problems.HasErrors);
        Assert.Equal(42, plan.BatchSize);
        Assert.Equal("sink.batchSize", plan.BatchSizeKey);
    }
}
