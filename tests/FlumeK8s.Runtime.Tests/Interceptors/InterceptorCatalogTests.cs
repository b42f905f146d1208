using System.Text;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Interceptors;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Interceptors;

public sealed class InterceptorCatalogTests
{
    [Theory]
    [InlineData("org.apache.flume.interceptor.TimestampInterceptor$Builder", "timestamp")]
    [InlineData("org.apache.flume.interceptor.HostInterceptor$Builder", "host")]
    [InlineData("org.apache.flume.interceptor.StaticInterceptor$Builder", "static")]
    [InlineData("org.apache.flume.interceptor.RemoveHeaderInterceptor$Builder", "remove_header")]
    [InlineData("org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder", "uuid")]
    [InlineData("org.apache.flume.interceptor.SearchAndReplaceInterceptor$Builder", "search_replace")]
    [InlineData("org.apache.flume.interceptor.RegexFilteringInterceptor$Builder", "regex_filter")]
    [InlineData("org.apache.flume.interceptor.RegexExtractorInterceptor$Builder", "regex_extractor")]
    public void Matches_FlumeClassName_ResolvesToAlias(string className, string alias)
    {
        var type = Assert.Single(InterceptorCatalog.All, t => t.Matches(className));

        Assert.Equal(alias, type.Alias);
    }

    [Fact]
    public void All_Aliases_AreUniqueAndCaseInsensitive()
    {
        Assert.Equal(8, InterceptorCatalog.All.Select(t => t.Alias).Distinct().Count());
        Assert.Contains(InterceptorCatalog.All, t => t.Matches("REGEX_FILTER"));
    }

    [Fact]
    public async Task ProcessBatchAsync_ChainedInterceptors_RunInOrderBeforeTheChannel()
    {
        var filter = InterceptorHarness.Build("regex_filter", "regex=keep");
        var stamp = InterceptorHarness.Build("static", "key=env", "value=prod");
        var pipeline = new TestPipeline(interceptors: [filter, stamp]);
        List<Event> batch = [Event.FromText("keep 1"), Event.FromText("drop"), Event.FromText("keep 2")];

        await Eventually.Within(pipeline.Processor.ProcessBatchAsync(batch, CancellationToken.None).AsTask());

        var events = pipeline.Drain();
        Assert.Equal(["keep 1", "keep 2"], events.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.All(events, e => Assert.Equal("prod", e.GetHeader("env")));
    }
}
