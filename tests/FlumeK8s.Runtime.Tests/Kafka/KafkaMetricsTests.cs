using FlumeK8s.Runtime.Admin;
using FlumeK8s.Runtime.Channels.Kafka;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Metrics;
using FlumeK8s.Runtime.Sinks.Kafka;
using FlumeK8s.Runtime.Sources.Kafka;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Kafka;

public sealed class KafkaMetricsTests
{
    [Fact]
    public async Task Render_KafkaComponents_FlumeKafkaCountersInJsonAndPrometheus()
    {
        var (context, _) = TestPipeline.Context("kafka.bootstrap.servers=localhost:1", "kafka.topics=t", "kafka.topic=t");
        var pipeline = new TestPipeline();
        var sink = new KafkaSink("k1", new MemoryChannel("c0", new MemoryChannelSettings()), KafkaSinkSettings.Read(context), AgentServices.ForTests());
        var source = new KafkaSource("r1", KafkaSourceSettings.Read(context), pipeline.Processor, pipeline.Services);
        var channel = new KafkaChannel("c1", KafkaChannelSettings.Read(context), TimeProvider.System, NullLoggerFactory.Instance);
        using var metrics = new MetricsRegistry();
        metrics.Register(sink.Counter);
        metrics.Register(source.Counter);
        metrics.Register(channel.Counter);

        var json = FlumeJsonMetrics.Render(metrics);
        var prometheus = await PrometheusScrape.TextAsync(metrics);

        Assert.Contains("\"SINK.k1\":{", json);
        foreach (var name in new[] { "KafkaEventSendTimer", "RollbackCount", "KafkaEventGetTimer", "KafkaCommitTimer", "KafkaEmptyCount" })
        {
            Assert.Contains($"\"{name}\":\"0\"", json);
        }
        Assert.Contains("flume_sink_kafka_event_send_timer{component=\"k1\",type=\"kafka\"} 0", prometheus);
        Assert.Contains("flume_sink_rollback_count{component=\"k1\",type=\"kafka\"} 0", prometheus);
        Assert.Contains("flume_source_kafka_event_get_timer{component=\"r1\",type=\"kafka\"} 0", prometheus);
        Assert.Contains("flume_source_kafka_commit_timer{component=\"r1\",type=\"kafka\"} 0", prometheus);
        Assert.Contains("flume_source_kafka_empty_count{component=\"r1\",type=\"kafka\"} 0", prometheus);
        Assert.Contains("flume_channel_kafka_event_send_timer{component=\"c1\",type=\"kafka\"} 0", prometheus);
        Assert.Contains("flume_channel_rollback_count{component=\"c1\",type=\"kafka\"} 0", prometheus);
    }
}
