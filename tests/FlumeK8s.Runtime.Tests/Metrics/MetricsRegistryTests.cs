using System.Text.Json;
using System.Text.RegularExpressions;
using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Channels.File;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Metrics;

/// <summary>The registry's instruments as the readers see them: Flume's JSON and OpenTelemetry's Prometheus exporter.</summary>
public sealed class MetricsRegistryTests : IDisposable
{
    private readonly MetricsRegistry _metrics = new();

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task Prometheus_CountedBeforeTheExporterAttached_ExportedWithTheirLabelsAndTypes()
    {
        var channel = new ChannelCounter("c1", "memory");
        _metrics.Register(channel);
        channel.SetCapacity(10);
        channel.SetSize(3);
        channel.AddPutSuccesses(7);

        var text = await PrometheusScrape.TextAsync(_metrics);

        Assert.Contains("# TYPE flume_channel_event_put_success_count counter\n", text);
        Assert.Contains("flume_channel_event_put_success_count{component=\"c1\",type=\"memory\"} 7\n", text);
        Assert.Contains("# TYPE flume_channel_channel_size gauge\n", text);
        Assert.Contains("flume_channel_channel_size{component=\"c1\",type=\"memory\"} 3\n", text);
        Assert.Contains("# TYPE flume_channel_channel_fill_percentage gauge\n", text);
        Assert.Contains("flume_channel_channel_fill_percentage{component=\"c1\",type=\"memory\"} 30\n", text);
        Assert.DoesNotContain("otel_scope", text);
        Assert.DoesNotContain("target_info", text);
    }

    [Fact]
    public async Task Prometheus_ReloadCountsAndProcessFigures_ExportedUnderTheirNames()
    {
        _metrics.CountReload(succeeded: true);
        _metrics.CountReload(succeeded: true);
        _metrics.CountReload(succeeded: false);

        var text = await PrometheusScrape.TextAsync(_metrics);

        Assert.Matches(@"(?m)^flumek8s_config_reload_success_total(\{\})? 2$", text);
        Assert.Matches(@"(?m)^flumek8s_config_reload_failure_total(\{\})? 1$", text);
        Assert.Contains("# TYPE flumek8s_config_reload_success_total counter\n", text);
        Assert.Contains("# TYPE process_resident_memory_bytes gauge\n", text);
        Assert.Contains("# TYPE process_peak_resident_memory_bytes gauge\n", text);
        Assert.Contains("# TYPE dotnet_gc_heap_size_bytes gauge\n", text);
        var allocated = Regex.Match(text, @"(?m)^dotnet_gc_allocated_bytes_total(?:\{\})? (\d+)$");
        Assert.True(allocated.Success && long.Parse(allocated.Groups[1].Value) > 0, text);
    }

    [Fact]
    public async Task Readers_ComponentReplacedUnderItsKeyAndOneRemoved_EachRunningComponentOnceUnderItsNewType()
    {
        var memory = new ChannelCounter("c1", "memory");
        var sink = new SinkCounter("k1", "null");
        _metrics.Register(memory);
        _metrics.Register(sink);
        memory.AddPutSuccesses(5);
        Assert.Contains("flume_channel_event_put_success_count{component=\"c1\",type=\"memory\"} 5", await PrometheusScrape.TextAsync(_metrics));

        var file = FileChannelCounter.Create("c1", "file");
        file.AddPutSuccesses(2);
        _metrics.Register(file);
        _metrics.Unregister(memory); // what a reload does with the replaced counter: it no longer holds the key, so nothing changes
        _metrics.Unregister(sink);

        var text = await PrometheusScrape.TextAsync(_metrics);
        Assert.Single(Regex.Matches(text, "(?m)^flume_channel_event_put_success_count"));
        Assert.Contains("flume_channel_event_put_success_count{component=\"c1\",type=\"file\"} 2", text);
        Assert.DoesNotContain("component=\"k1\"", text);
        var json = Json();
        Assert.Equal(["CHANNEL.c1"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2", json.GetProperty("CHANNEL.c1").GetProperty("EventPutSuccessCount").GetString());
        Assert.Equal("0", json.GetProperty("CHANNEL.c1").GetProperty("FsyncCount").GetString());
    }

    [Fact]
    public void Json_FlumeNamesAndValuesReadFromTheInstruments()
    {
        var channel = new ChannelCounter("c1", "memory");
        var source = new SourceCounter("r1", "netcat");
        _metrics.Register(channel);
        _metrics.Register(source);
        channel.MarkStarted(TimeProvider.System);
        channel.SetCapacity(8);
        channel.SetSize(1);
        source.AddEventsAccepted(4);

        var json = Json();

        Assert.Equal(["CHANNEL.c1", "SOURCE.r1"], json.EnumerateObject().Select(p => p.Name));
        var c1 = json.GetProperty("CHANNEL.c1");
        Assert.Equal("CHANNEL", c1.GetProperty("Type").GetString());
        Assert.Equal(channel.StartTime.ToString(), c1.GetProperty("StartTime").GetString());
        Assert.Equal("0", c1.GetProperty("StopTime").GetString());
        Assert.Equal("1", c1.GetProperty("ChannelSize").GetString());
        Assert.Equal("12.5", c1.GetProperty("ChannelFillPercentage").GetString());
        var attributes = c1.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal([.. ChannelCounter.Attributes.Append("ChannelFillPercentage").Order()], attributes.Except(["Type", "StartTime", "StopTime"]).Order());
        Assert.Equal("4", json.GetProperty("SOURCE.r1").GetProperty("EventAcceptedCount").GetString());
    }

    [Fact]
    public async Task Readers_TwoRegistriesInOneProcess_EachReadsOnlyItsOwn()
    {
        using var other = new MetricsRegistry();
        other.Register(new SinkCounter("elsewhere", "null"));
        _metrics.Register(new SinkCounter("k1", "null"));

        var text = await PrometheusScrape.TextAsync(_metrics);

        Assert.Contains("component=\"k1\"", text);
        Assert.DoesNotContain("elsewhere", text);
        Assert.Equal(["SINK.k1"], Json().EnumerateObject().Select(p => p.Name));
    }

    private JsonElement Json() => JsonDocument.Parse(FlumeJsonMetrics.Render(_metrics)).RootElement;
}
