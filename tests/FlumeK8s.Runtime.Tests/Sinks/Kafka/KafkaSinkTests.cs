using System.Text;
using Confluent.Kafka;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Components;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Kafka;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sinks.Kafka;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Kafka;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Sinks.Kafka;

public sealed class KafkaSinkTests(KafkaClusterFixture fixture) : IClassFixture<KafkaClusterFixture>
{
    private readonly MemoryChannel _channel = new("c1", new MemoryChannelSettings(10000, 1000, TimeSpan.Zero, 1L << 30));

    private KafkaSink NewSink(params string[] properties)
    {
        var (context, problems) = TestPipeline.Context([$"kafka.bootstrap.servers={fixture.Cluster.BootstrapServers}", .. properties]);
        var settings = KafkaSinkSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        return new KafkaSink("k1", _channel, settings, AgentServices.ForTests());
    }

    private async Task PutAsync(IEnumerable<Event> events)
    {
        using var transaction = _channel.BeginTransaction();
        transaction.PutBatch([.. events]);
        await Eventually.Within(transaction.CommitAsync(CancellationToken.None).AsTask());
    }

    private static async Task<PollStatus> ProcessAsync(ISink sink) =>
        await Eventually.Within(sink.ProcessAsync(CancellationToken.None).AsTask(), TimeSpan.FromSeconds(60));

    [Fact]
    public async Task ProcessAsync_Batch_EveryRecordAcknowledgedWithHeadersKeyAndTopicOverride()
    {
        var topic = fixture.NewTopic();
        var other = fixture.NewTopic();
        var sink = NewSink($"kafka.topic={topic}", "flumeBatchSize=100");
        await sink.StartAsync(CancellationToken.None);
        await PutAsync(Enumerable.Range(0, 50).Select(i => Event.FromText($"e{i}", new() { ["n"] = $"{i}", ["key"] = $"k{i % 3}" })));
        await PutAsync([Event.FromText("elsewhere", new() { ["topic"] = other })]);

        Assert.Equal(PollStatus.Ready, await ProcessAsync(sink));
        await sink.StopAsync(CancellationToken.None);

        Assert.Equal(0, _channel.Counter.Size);
        Assert.Equal(51, sink.Counter.EventsDrained);
        var records = KafkaTestClients.Read(fixture.Cluster.BootstrapServers, topic, 50);
        Assert.Equal(50, records.Count);
        foreach (var record in records)
        {
            var body = Encoding.UTF8.GetString(record.Message.Value);
            var n = Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes("n"));
            Assert.Equal($"e{n}", body);
            Assert.Equal($"k{int.Parse(n) % 3}", Encoding.UTF8.GetString(record.Message.Key!));
        }
        // The same key always lands in the same partition.
        Assert.All(records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key!)), g => Assert.Single(g.Select(r => r.Partition.Value).Distinct()));
        var moved = Assert.Single(KafkaTestClients.Read(fixture.Cluster.BootstrapServers, other, 1));
        Assert.Equal("elsewhere", Encoding.UTF8.GetString(moved.Message.Value));
    }

    [Fact]
    public async Task ProcessAsync_ThreeBatchesInFlight_EveryRecordAcknowledgedOnceInChannelOrder()
    {
        var topic = fixture.NewTopic(partitions: 1);
        var sink = NewSink($"kafka.topic={topic}", "flumeBatchSize=50");
        await sink.StartAsync(CancellationToken.None);
        await PutAsync(Enumerable.Range(0, 600).Select(i => Event.FromText($"e{i}")));

        await ConcurrentDrain.RunAsync(sink, 3);
        await sink.StopAsync(CancellationToken.None);

        Assert.Equal(600, sink.Counter.EventsDrained);
        var records = KafkaTestClients.Read(fixture.Cluster.BootstrapServers, topic, 600);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"e{i}"), records.Select(r => Encoding.UTF8.GetString(r.Message.Value)));
    }

    [Fact]
    public async Task ProcessAsync_FlumeEventFormat_ValueIsAvroFlumeEventAndPartitionFromHeader()
    {
        var topic = fixture.NewTopic(partitions: 4);
        var sink = NewSink($"kafka.topic={topic}", "useFlumeEventFormat=true", "partitionIdHeader=p", "defaultPartitionId=1");
        await sink.StartAsync(CancellationToken.None);
        await PutAsync([Event.FromText("to-three", new() { ["p"] = "3", ["h"] = "v" }), Event.FromText("to-default", new() { ["p"] = "not-a-number" })]);

        Assert.Equal(PollStatus.Ready, await ProcessAsync(sink));
        await sink.StopAsync(CancellationToken.None);

        var records = KafkaTestClients.Read(fixture.Cluster.BootstrapServers, topic, 2).ToDictionary(r => r.Partition.Value);
        var reader = new AvroReader(records[3].Message.Value);
        var decoded = AvroFlumeEventCodec.Read(ref reader);
        Assert.Equal("to-three", Encoding.UTF8.GetString(decoded.Body));
        Assert.Equal("v", decoded.GetHeader("h"));
        Assert.True(records[3].Message.Headers is null or { Count: 0 });
        reader = new AvroReader(records[1].Message.Value);
        Assert.Equal("to-default", Encoding.UTF8.GetString(AvroFlumeEventCodec.Read(ref reader).Body));
    }

    [Fact]
    public async Task ProcessAsync_BrokerRejectsProduceRequests_RollsBackAndDeliversEverythingLater()
    {
        var topic = fixture.NewTopic(partitions: 1);
        var sink = NewSink($"kafka.topic={topic}", "flumeBatchSize=200");
        await sink.StartAsync(CancellationToken.None);
        await PutAsync(Enumerable.Range(0, 200).Select(i => Event.FromText($"e{i}")));
        // Produce is API key 0; a non-retriable error fails the records in the first requests of the batch.
        fixture.Cluster.FailRequests(0, ErrorCode.InvalidRecord, 1);

        await Assert.ThrowsAsync<SinkDeliveryException>(() => ProcessAsync(sink));

        Assert.Equal(1, sink.Counter.Get(KafkaCounters.RollbackCount));
        Assert.Equal(1, sink.Counter.Get("EventWriteFail"));
        Assert.Equal(200, _channel.Counter.Size);
        Assert.Equal(PollStatus.Ready, await ProcessAsync(sink));
        await sink.StopAsync(CancellationToken.None);
        Assert.Equal(0, _channel.Counter.Size);
        var bodies = KafkaTestClients.Read(fixture.Cluster.BootstrapServers, topic, 400, TimeSpan.FromSeconds(5))
            .Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"e{i}").ToHashSet(), bodies);
        Assert.True(sink.Counter.Get(KafkaCounters.EventSendTimer) >= 0);
    }
}
