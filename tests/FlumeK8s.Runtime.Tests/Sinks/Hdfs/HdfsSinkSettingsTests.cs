using FlumeK8s.Runtime.Sinks.Hdfs;
using FlumeK8s.Runtime.Sinks.Hdfs.Paths;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sinks.Hdfs;

public sealed class HdfsSinkSettingsTests
{
    private static (HdfsSinkSettings Settings, FlumeK8s.Runtime.Configuration.ConfigProblems Problems) Read(params string[] properties)
    {
        // Later properties replace earlier ones, so a test can override the base ones.
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            merged[property[..property.IndexOf('=')]] = property[(property.IndexOf('=') + 1)..];
        }
        var (context, problems) = TestPipeline.Context([.. merged.Select(p => $"{p.Key}={p.Value}")]);
        return (HdfsSinkSettings.Read(context), problems);
    }

    [Fact]
    public void Read_PathAndFileType_FlumeDefaults()
    {
        var (s, problems) = Read("hdfs.path=/data/flume", "hdfs.fileType=DataStream");

        Assert.False(problems.HasErrors);
        Assert.Equal(new HdfsLocation(HdfsScheme.Local, null, "/data/flume"), s.Location);
        Assert.Equal(("FlumeData", "", "", ".tmp"), (s.FilePrefix, s.FileSuffix, s.InUsePrefix, s.InUseSuffix));
        Assert.Equal(TimeSpan.FromSeconds(30), s.RollInterval);
        Assert.Equal((1024L, 10L), (s.RollSize, s.RollCount));
        Assert.Equal(TimeSpan.Zero, s.IdleTimeout);
        Assert.Equal((100, 5000), (s.BatchSize, s.MaxOpenFiles));
        Assert.Equal(TimeSpan.FromSeconds(30), s.CallTimeout);
        Assert.Equal(HdfsSerializerKind.Text, s.Serializer);
        Assert.True(s.AppendNewline);
        Assert.Equal((2048000, AvroCodec.Null), (s.AvroSyncIntervalBytes, s.AvroCodec));
        Assert.Null(s.Round);
        Assert.False(s.UseLocalTimeStamp);
        Assert.Null(s.WebHdfsUser);
        Assert.True(s.FsyncPerBatch);
    }

    [Theory]
    [InlineData("hdfs.path=/d")]
    [InlineData("hdfs.path=/d", "hdfs.fileType=SequenceFile")]
    public void Read_SequenceFileOrNoFileType_SequenceFileOfWritables(params string[] properties)
    {
        var (s, problems) = Read(properties);

        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors.Select(e => e.Message)));
        Assert.Equal(HdfsFileType.SequenceFile, s.FileType);
        Assert.Equal(SequenceFileWriteFormat.Writable, s.WriteFormat);
        Assert.Equal("", s.FinalSuffix);
    }

    [Fact]
    public void Read_WriteFormatTextAndFsyncPerBatchFalse_Read()
    {
        var (s, problems) = Read("hdfs.path=/d", "hdfs.writeFormat=Text", "hdfs.fsyncPerBatch=false");

        Assert.False(problems.HasErrors);
        Assert.Equal(SequenceFileWriteFormat.Text, s.WriteFormat);
        Assert.False(s.FsyncPerBatch);
    }

    [Fact]
    public void Read_SequenceFileWithCodec_ClearError()
    {
        var (_, problems) = Read("hdfs.path=/d", "hdfs.codeC=gzip");

        var error = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1.hdfs.codeC", error.Key);
        Assert.Contains("compressed SequenceFiles are not supported", error.Message);
    }

    [Fact]
    public void Read_SequenceFileWithSerializer_WarnsItIsIgnored()
    {
        var (_, problems) = Read("hdfs.path=/d", "serializer=avro_event");

        Assert.False(problems.HasErrors);
        Assert.Contains(problems.Warnings, w => w.Key.EndsWith(".serializer", StringComparison.Ordinal) && w.Message.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_UnknownWriteFormat_Error()
    {
        var (_, problems) = Read("hdfs.path=/d", "hdfs.writeFormat=Avro");

        Assert.Contains(problems.Errors, e => e.Key.EndsWith("hdfs.writeFormat", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_CompressedStreamWithoutCodec_Error()
    {
        var (_, problems) = Read("hdfs.path=/d", "hdfs.fileType=CompressedStream");

        Assert.Contains(problems.Errors, e => e.Key.EndsWith("hdfs.codeC", StringComparison.Ordinal) && e.Message.Contains("required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("GzipCodec")]
    [InlineData("org.apache.hadoop.io.compress.GzipCodec")]
    public void Read_GzipCodecNames_AcceptedWithGzExtension(string codec)
    {
        var (s, problems) = Read("hdfs.path=/d", "hdfs.fileType=CompressedStream", "hdfs.codeC=" + codec);

        Assert.False(problems.HasErrors);
        Assert.True(s.Gzip);
        Assert.Equal(".gz", s.FinalSuffix);
    }

    [Theory]
    [InlineData("hdfs.codeC=snappy", "hdfs.codeC", "gzip only")]
    [InlineData("serializer.compressionCodec=snappy", "serializer.compressionCodec", "null or deflate")]
    [InlineData("serializer=avro", "serializer", "TEXT, HEADER_AND_TEXT, AVRO_EVENT")]
    [InlineData("serializer.syncIntervalBytes=16", "serializer.syncIntervalBytes", "minimum 32")]
    [InlineData("hdfs.roundValue=61", "hdfs.roundValue", "maximum 60")]
    [InlineData("hdfs.timeZone=Mars/Olympus", "hdfs.timeZone", "not a known time zone")]
    [InlineData("hdfs.inUseSuffix=a/b", "hdfs.inUseSuffix", "file name")]
    public void Read_BadValue_ErrorOnItsKey(string property, string key, string message)
    {
        var (_, problems) = Read("hdfs.path=/d", "hdfs.fileType=CompressedStream", "hdfs.codeC=gzip", property);

        var error = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1." + key, error.Key);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("hdfs.path=/d/%Q", "'%Q' is not an escape")]
    [InlineData("hdfs.path=ftp://host/d", "not supported")]
    [InlineData("hdfs.path=webhdfs:///d", "NameNode's HTTP address")]
    [InlineData("hdfs.filePrefix=%[nope]", "localhost, IP, FQDN")]
    public void Read_BadPath_Error(string property, string message)
    {
        var (_, problems) = Read("hdfs.path=/d", "hdfs.fileType=DataStream", property);

        Assert.Contains(problems.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("webhdfs://nn.example:50070/flume/%Y", HdfsScheme.WebHdfs, "http://nn.example:50070/", "/flume/%Y")]
    [InlineData("hdfs://nn.example:9870/flume", HdfsScheme.WebHdfs, "http://nn.example:9870/", "/flume")]
    [InlineData("webhdfs://nn.example/flume", HdfsScheme.WebHdfs, "http://nn.example:9870/", "/flume")]
    [InlineData("swebhdfs://nn.example/flume", HdfsScheme.SecureWebHdfs, "https://nn.example:9871/", "/flume")]
    [InlineData("file:///var/flume/%{app}", HdfsScheme.Local, null, "/var/flume/%{app}")]
    public void Read_PathSchemes_FileSystemAndTemplate(string path, HdfsScheme scheme, string? nameNode, string template)
    {
        var (s, problems) = Read("hdfs.path=" + path, "hdfs.fileType=DataStream");

        Assert.False(problems.HasErrors);
        Assert.Equal(new HdfsLocation(scheme, nameNode is null ? null : new Uri(nameNode), template), s.Location);
    }

    [Fact]
    public void Read_RoundAndWebHdfsSettings_Read()
    {
        var (s, problems) = Read("hdfs.path=webhdfs://nn:9870/d", "hdfs.fileType=DataStream", "hdfs.round=true", "hdfs.roundValue=15",
            "hdfs.roundUnit=minute", "hdfs.timeZone=UTC", "hdfs.webhdfs.user=flume", "hdfs.webhdfs.delegationToken=tok123");

        Assert.False(problems.HasErrors);
        Assert.Equal(new TimeRounding(RoundUnit.Minute, 15), s.Round);
        Assert.Equal(TimeZoneInfo.Utc.BaseUtcOffset, s.TimeZone.BaseUtcOffset);
        Assert.Equal(("flume", "tok123"), (s.WebHdfsUser, s.WebHdfsDelegationToken));
    }

    [Fact]
    public void Read_NoInUsePrefixOrSuffix_Warning()
    {
        var (_, problems) = Read("hdfs.path=/d", "hdfs.fileType=DataStream", "hdfs.inUseSuffix=");

        Assert.False(problems.HasErrors);
        Assert.Contains(problems.Warnings, w => w.Message.Contains("cannot be recognized", StringComparison.Ordinal));
    }
}
