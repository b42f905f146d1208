using System.Text;
using FlumeK8s.Runtime.Sources.Netcat;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Netcat;

public sealed class NetcatSourceSettingsTests
{
    [Fact]
    public void Read_OnlyRequired_UsesFlumeDefaults()
    {
        var (context, problems) = TestPipeline.Context("bind=0.0.0.0", "port=44444");

        var settings = NetcatSourceSettings.Read(context);

        Assert.Empty(problems.Errors);
        Assert.Equal(new NetcatSourceSettings("0.0.0.0", 44444, 512, true, settings.Encoding, 100), settings);
        Assert.IsAssignableFrom<UTF8Encoding>(settings.Encoding);
    }

    [Fact]
    public void Read_MissingBindAndPort_ReportsBoth()
    {
        var (context, problems) = TestPipeline.Context("max-line-length=100");

        NetcatSourceSettings.Read(context);

        Assert.Contains(problems.Errors, e => e.Key == "a1.sources.r1.bind");
        Assert.Contains(problems.Errors, e => e.Key == "a1.sources.r1.port");
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("no-such-charset")]
    public void Read_EncodingWithoutSingleByteNewline_IsRefused(string encoding)
    {
        var (context, problems) = TestPipeline.Context("bind=0.0.0.0", "port=1", "encoding=" + encoding);

        NetcatSourceSettings.Read(context);

        Assert.Contains(problems.Errors, e => e.Key == "a1.sources.r1.encoding");
    }

    [Fact]
    public void Read_Latin1_IsAccepted()
    {
        var (context, problems) = TestPipeline.Context("bind=0.0.0.0", "port=1", "encoding=iso-8859-1");

        var settings = NetcatSourceSettings.Read(context);

        Assert.Empty(problems.Errors);
        Assert.Equal(Encoding.Latin1.WebName, settings.Encoding.WebName);
    }
}
