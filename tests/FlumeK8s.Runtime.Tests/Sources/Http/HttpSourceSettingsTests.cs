using FlumeK8s.Runtime.Sources.Http;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Http;

public sealed class HttpSourceSettingsTests
{
    [Fact]
    public void Read_OnlyPort_BindsAllAddressesWithJsonHandler()
    {
        var (context, problems) = TestPipeline.Context("port=8080");

        var settings = HttpSourceSettings.Read(context);

        Assert.Empty(problems.Errors);
        Assert.Equal("0.0.0.0", settings.Bind);
        Assert.Equal(8080, settings.Port);
        Assert.IsType<JsonHandler>(settings.Handler);
    }

    [Theory]
    [InlineData("json", typeof(JsonHandler))]
    [InlineData("org.apache.flume.source.http.JSONHandler", typeof(JsonHandler))]
    [InlineData("BLOB", typeof(BlobHandler))]
    [InlineData("org.apache.flume.sink.solr.morphline.BlobHandler", typeof(BlobHandler))]
    public void Read_HandlerByAliasOrFlumeClassName_Resolves(string name, Type expected)
    {
        var (context, problems) = TestPipeline.Context("port=1", "handler=" + name);

        var settings = HttpSourceSettings.Read(context);

        Assert.Empty(problems.Errors);
        Assert.IsType(expected, settings.Handler);
    }

    [Fact]
    public void Read_UnknownHandler_ErrorListsKnownHandlers()
    {
        var (context, problems) = TestPipeline.Context("port=1", "handler=com.example.MyHandler");

        HttpSourceSettings.Read(context);

        var error = Assert.Single(problems.Errors);
        Assert.Equal("a1.sources.r1.handler", error.Key);
        Assert.Contains("blob", error.Message);
    }

    [Fact]
    public void Read_BlobMaxLength_DefaultsLikeFlumeAndRejectsNonsense()
    {
        Assert.Equal(100_000_000, BlobHandlerSettings.Read(TestPipeline.Context("port=1").Context.Scope("handler.")).MaxBlobLength);

        var (context, problems) = TestPipeline.Context("port=1", "handler=blob", "handler.maxBlobLength=0");
        HttpSourceSettings.Read(context);

        Assert.Contains(problems.Errors, e => e.Key == "a1.sources.r1.handler.maxBlobLength");
    }

    [Fact]
    public void Read_MaxRequestBodyBytes_DefaultsTo32MiBAndRejectsNonsense()
    {
        Assert.Equal(32L << 20, HttpSourceSettings.Read(TestPipeline.Context("port=1").Context).MaxRequestBodyBytes);
        Assert.Equal(4096, HttpSourceSettings.Read(TestPipeline.Context("port=1", "maxRequestBodyBytes=4096").Context).MaxRequestBodyBytes);

        var (context, problems) = TestPipeline.Context("port=1", "maxRequestBodyBytes=0");
        HttpSourceSettings.Read(context);

        Assert.Contains(problems.Errors, e => e.Key == "a1.sources.r1.maxRequestBodyBytes");
    }

    [Fact]
    public void Read_SslRequested_IsAnError()
    {
        var (context, problems) = TestPipeline.Context("port=1", "ssl=true");

        HttpSourceSettings.Read(context);

        Assert.Contains(problems.Errors, e => e.Key == "a1.sources.r1.ssl");
    }
}
