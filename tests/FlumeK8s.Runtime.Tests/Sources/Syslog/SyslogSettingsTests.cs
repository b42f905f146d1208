using System.Text;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Sources.Syslog;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Syslog;

public sealed class SyslogSettingsTests
{
    [Fact]
    public void Read_SyslogTcpDefaults_FlumeValues()
    {
        var (context, problems) = TestPipeline.Context("host=0.0.0.0", "port=5140");

        var settings = SyslogTcpSourceSettings.Read(context);

        Assert.False(problems.HasErrors);
        Assert.Equal(new SyslogTcpSourceSettings("0.0.0.0", 5140, 2500, SyslogKeepFields.None, null, null), settings);
    }

    [Fact]
    public void Read_SyslogTcpMissingHostAndPort_BothReported()
    {
        var (context, problems) = TestPipeline.Context("eventSize=5");

        SyslogTcpSourceSettings.Read(context);

        Assert.Contains(problems.Errors, p => p.Key == "a1.sources.r1.host");
        Assert.Contains(problems.Errors, p => p.Key == "a1.sources.r1.port");
        Assert.Contains(problems.Errors, p => p.Key == "a1.sources.r1.eventSize");
    }

    [Theory]
    [InlineData("none", SyslogKeepFields.None)]
    [InlineData("false", SyslogKeepFields.None)]
    [InlineData("all", SyslogKeepFields.All)]
    [InlineData("TRUE", SyslogKeepFields.All)]
    [InlineData("priority hostname", SyslogKeepFields.Priority | SyslogKeepFields.Hostname)]
    [InlineData("timestamp,version", SyslogKeepFields.Timestamp | SyslogKeepFields.Version)]
    public void Read_KeepFields_FlumeSpellings(string value, SyslogKeepFields expected)
    {
        var (context, problems) = TestPipeline.Context("host=h", "port=1", "keepFields=" + value);

        Assert.Equal(expected, SyslogUdpSourceSettings.Read(context).KeepFields);
        Assert.False(problems.HasErrors);
    }

    [Fact]
    public void Read_KeepFieldsUnknownWord_Error()
    {
        var (context, problems) = TestPipeline.Context("host=h", "port=1", "keepFields=priority severity");

        SyslogUdpSourceSettings.Read(context);

        Assert.Contains(problems.Errors, p => p.Key == "a1.sources.r1.keepFields" && p.Message.Contains("severity", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Multiport_PortsCharsetsAndDefaults()
    {
        var (context, problems) = TestPipeline.Context(
            "host=127.0.0.1", "ports=10001 10002", "portHeader=port", "charset.port.10002=ISO-8859-1");

        var settings = MultiportSyslogTcpSourceSettings.Read(context);

        Assert.False(problems.HasErrors);
        Assert.Equal([10001, 10002], settings.Ports);
        Assert.Equal(2500, settings.EventSize);
        Assert.Equal(100, settings.BatchSize);
        Assert.Equal(1024, settings.ReadBufferBytes);
        Assert.Equal("port", settings.PortHeader);
        Assert.Equal(Encoding.UTF8.WebName, settings.DefaultCharset.WebName);
        Assert.Equal("iso-8859-1", settings.PortCharsets[10002].WebName);
    }

    [Fact]
    public void Read_MultiportBadValues_EachReportedWithItsKey()
    {
        var (context, problems) = TestPipeline.Context(
            "host=h", "ports=10001 x 10001 70000", "charset.default=no-such-charset", "charset.port.abc=UTF-8", "batchSize=0");

        MultiportSyslogTcpSourceSettings.Read(context);

        Assert.Equal(3, problems.Errors.Count(p => p.Key == "a1.sources.r1.ports"));
        Assert.Contains(problems.Errors, p => p.Key == "a1.sources.r1.charset.default");
        Assert.Contains(problems.Errors, p => p.Key == "a1.sources.r1.charset.port.abc");
        Assert.Contains(problems.Errors, p => p.Key == "a1.sources.r1.batchSize");
    }

    [Theory]
    [InlineData("syslogtcp")]
    [InlineData("SYSLOGUDP")]
    [InlineData("multiport_syslogtcp")]
    [InlineData("org.apache.flume.source.SyslogTcpSource")]
    [InlineData("org.apache.flume.source.SyslogUDPSource")]
    [InlineData("org.apache.flume.source.MultiportSyslogTCPSource")]
    public void SourceCatalog_SyslogTypes_AreKnown(string type)
    {
        Assert.Contains(SourceCatalog.All, t => t.Matches(type));
    }

    [Fact]
    public void SourceCatalog_MultiportPlan_CarriesBatchSizeForTheChannelCheck()
    {
        var (context, problems) = TestPipeline.Context("host=h", "ports=1", "batchSize=250");

        var plan = SourceCatalog.All.Single(t => t.Matches("multiport_syslogtcp")).Configure(context);

        Assert.False(problems.HasErrors);
        Assert.Equal(250, plan.BatchSize);
    }
}
