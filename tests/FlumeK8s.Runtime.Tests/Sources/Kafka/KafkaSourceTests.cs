using System.Text;
using Confluent.Kafka;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Kafka;
using FlumeK8s.Runtime.Sinks.Kafka;
using FlumeK8s.Runtime.Sources.Kafka;
using FlumeK8s.Runtime.Tests.Kafka;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sources.Kafka;

public sealed class KafkaSourceTests(KafkaClusterFixture fixture) : IClassFixture<KafkaClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private KafkaSource NewSource(TestPipeline pipeline, string name, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(
            [$"kafka.bootstrap.servers={fixture.Cluster.BootstrapServers}", "kafka.consumer.auto.offset.reset=earliest",
             "batchDurationMillis=100", "kafka.consumer.session.timeout.ms=6000", "kafka.consumer.max.poll.interval.ms=10000", "kafka.consumer.heartbeat.interval.ms=500", .. properties]);
        var settings = KafkaSourceSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        return new KafkaSource(name, settings, pipeline.Processor, pipeline.Services);
    }

    private static Message<byte[]?, byte[]> Record(string body, string? key = null, params (string Key, string Value)[] headers)
    {
        var kafkaHeaders = new Headers();
        foreach (var (k, v) in headers)
        {
            kafkaHeaders.Add(k, Encoding.UTF8.GetBytes(v));
        }
        return new Message<byte[]?, byte[]> { Key = key is null ? null : Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(body), Headers = kafkaHeaders };
    }

    [Fact]
    public async Task SinkToTopicToSource_RoundTrip_BodiesHeadersAndFlumeHeadersArrive()
    {
        var topic = fixture.NewTopic();
        var upstream = new MemoryChannel("up", new MemoryChannelSettings(1000, 100, TimeSpan.Zero, 1L << 30));
        var (sinkContext, _) = TestPipeline.Context($"kafka.bootstrap.servers={fixture.Cluster.BootstrapServers}", $"kafka.topic={topic}");
        var sink = new KafkaSink("k1", upstream, KafkaSinkSettings.Read(sinkContext), AgentServices.ForTests());
        await sink.StartAsync(CancellationToken.None);
        using (var put = upstream.BeginTransaction())
        {
            put.PutBatch([.. Enumerable.Range(0, 20).Select(i => Event.FromText($"m{i}", new() { ["app"] = "web", ["key"] = $"id{i}" }))]);
            await put.CommitAsync(CancellationToken.None);
        }
        await Eventually.Within(sink.ProcessAsync(CancellationToken.None).AsTask(), Patience);
        await sink.StopAsync(CancellationToken.None);

        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, "r1", $"kafka.topics={topic}", "kafka.consumer.group.id=g-roundtrip");
        await source.StartAsync(CancellationToken.None);
        var events = new List<Event>();
        await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count >= 20; }, "20 events through Kafka", Patience);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}").Order(), events.Select(e => Encoding.UTF8.GetString(e.Body)).Order());
        foreach (var e in events)
        {
            Assert.Equal("web", e.GetHeader("app"));
            Assert.Equal("id" + Encoding.UTF8.GetString(e.Body)[1..], e.GetHeader("key"));
            Assert.Equal(topic, e.GetHeader("topic"));
            Assert.InRange(int.Parse(e.GetHeader("partition")!), 0, 2);
            Assert.True(long.Parse(e.GetHeader("offset")!) >= 0);
            Assert.InRange(long.Parse(e.GetHeader("timestamp")!), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        Assert.Equal(20, source.Counter.EventsAccepted);
        Assert.True(source.Counter.Get(KafkaCounters.CommitTimer) >= 0);

        // Offsets were committed after the channel commit: the group's next member reads nothing again.
        await KafkaTestClients.ProduceAsync(fixture.Cluster.BootstrapServers, topic, [Record("after")]);
        var next = new TestPipeline();
        var again = NewSource(next, "r2", $"kafka.topics={topic}", "kafka.consumer.group.id=g-roundtrip");
        await again.StartAsync(CancellationToken.None);
        var later = new List<Event>();
        await Eventually.TrueAsync(() => { later.AddRange(next.Drain()); return later.Count >= 1; }, "the record written after the commit", Patience);
        await again.StopAsync(CancellationToken.None);
        Assert.Equal(["after"], later.Select(e => Encoding.UTF8.GetString(e.Body)));
    }

    [Fact]
    public async Task TopicsRegex_FlumeEventFormat_HeadersFromTheAvroRecordAndMalformedKeptRaw()
    {
        var topic = fixture.NewTopic(partitions: 1);
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        var avro = KafkaRecordCodec.EncodeValue(Event.FromText("inside", new() { ["h"] = "v", ["timestamp"] = "42" }), flumeEventFormat: true, writer);
        await KafkaTestClients.ProduceAsync(fixture.Cluster.BootstrapServers, topic,
            [new Message<byte[]?, byte[]> { Value = avro }, new Message<byte[]?, byte[]> { Value = [0x7f, 0x01] }]);
        var pipeline = new TestPipeline();
        var source = NewSource(pipeline, "r1", $"kafka.topics.regex={topic[..8]}.*", "useFlumeEventFormat=true", "topicHeader=from", "kafka.consumer.group.id=g-avro");
        await source.StartAsync(CancellationToken.None);
        var events = new List<Event>();
        await Eventually.TrueAsync(() => { events.AddRange(pipeline.Drain()); return events.Count >= 2; }, "both records", Patience);
        await source.StopAsync(CancellationToken.None);

        Assert.Equal("inside", Encoding.UTF8.GetString(events[0].Body));
        Assert.Equal("v", events[0].GetHeader("h"));
        Assert.Equal("42", events[0].GetHeader("timestamp")); // Flume keeps a timestamp the event already has
        Assert.Equal(topic, events[0].GetHeader("from"));
        Assert.Equal([0x7f, 0x01], events[1].Body);
        Assert.Equal(1, source.Counter.Get("EventReadFail"));
    }

    [Fact]
    public async Task ConsumerGroup_OneMemberStops_TheOtherTakesOverAndNothingIsLost()
    {
        var topic = fixture.NewTopic(partitions: 4);
        var pipelineA = new TestPipeline();
        var pipelineB = new TestPipeline();
        var a = NewSource(pipelineA, "a", $"kafka.topics={topic}", "kafka.consumer.group.id=g-rebalance", "batchSize=50");
        var b = NewSource(pipelineB, "b", $"kafka.topics={topic}", "kafka.consumer.group.id=g-rebalance", "batchSize=50");
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => a.AssignedPartitions > 0 && b.AssignedPartitions > 0 && a.AssignedPartitions + b.AssignedPartitions == 4,
            "both members own partitions", Patience);

        await KafkaTestClients.ProduceAsync(fixture.Cluster.BootstrapServers, topic, Enumerable.Range(0, 400).Select(i => Record($"first{i}", key: $"{i}")));
        var seen = new HashSet<string>();
        void Collect()
        {
            seen.UnionWith(pipelineA.DrainBodies());
            seen.UnionWith(pipelineB.DrainBodies());
        }
        await Eventually.TrueAsync(() => { Collect(); return seen.Count >= 400; }, "the first 400 records", Patience);
        Assert.True(a.Counter.EventsAccepted > 0 && b.Counter.EventsAccepted > 0, "both members read");

        await a.StopAsync(CancellationToken.None);
        await KafkaTestClients.ProduceAsync(fixture.Cluster.BootstrapServers, topic, Enumerable.Range(0, 400).Select(i => Record($"second{i}", key: $"{i}")));
        await Eventually.TrueAsync(() => { Collect(); return seen.Count >= 800; }, "the second 400 records through the remaining member", Patience);
        await Eventually.TrueAsync(() => b.AssignedPartitions == 4, "b owns every partition", Patience);
        await b.StopAsync(CancellationToken.None);

        var expected = Enumerable.Range(0, 400).SelectMany(i => new[] { $"first{i}", $"second{i}" }).ToHashSet();
        Assert.True(expected.SetEquals(seen), $"missing: {string.Join(",", expected.Except(seen).Take(10))}");
    }

    [Fact]
    public void Settings_NoTopics_ErrorAndUnsupportedPropertiesWarn()
    {
        var (context, problems) = TestPipeline.Context("kafka.bootstrap.servers=x:9092", "migrateZookeeperOffsets=true",
            "kafka.consumer.max.poll.records=10", "kafka.consumer.partition.assignment.strategy=org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "kafka.consumer.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");
        var settings = KafkaSourceSettings.Read(context);
        Assert.Contains(problems.Errors, p => p.Key.EndsWith("kafka.topics", StringComparison.Ordinal));
        Assert.Contains(problems.Warnings, p => p.Key.EndsWith("migrateZookeeperOffsets", StringComparison.Ordinal));
        Assert.Contains(problems.Warnings, p => p.Key.EndsWith("max.poll.records", StringComparison.Ordinal));
        Assert.Equal("roundrobin", settings.Connection.Consumer["partition.assignment.strategy"]);
        Assert.Equal("u", settings.Connection.Consumer["sasl.username"]);
        Assert.Equal("p", settings.Connection.Consumer["sasl.password"]);
        Assert.Equal("false", settings.Connection.Consumer["enable.auto.commit"]);
        Assert.Equal("flume", settings.Connection.GroupId);
    }
}
