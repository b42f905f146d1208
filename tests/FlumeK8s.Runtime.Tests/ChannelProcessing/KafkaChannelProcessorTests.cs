using Confluent.Kafka;
using FlumeK8s.Runtime.ChannelProcessing;
using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Kafka;
using FlumeK8s.Runtime.Channels.Memory;
using FlumeK8s.Runtime.Events;
using FlumeK8s.Runtime.Tests.Channels.Kafka;
using FlumeK8s.Runtime.Tests.Kafka;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.ChannelProcessing;

/// <summary>A Kafka channel cannot hold room ahead of its commit, so among required channels it commits first.</summary>
public sealed class KafkaChannelProcessorTests(KafkaClusterFixture fixture) : IClassFixture<KafkaClusterFixture>, IAsyncLifetime
{
    private KafkaChannel? _kafka;

    public async Task InitializeAsync()
    {
        _kafka = KafkaChannels.Create(fixture, fixture.NewTopic(partitions: 1), "transactionCapacity=100");
        await Eventually.Within(_kafka.StartAsync(CancellationToken.None), TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await Eventually.Within(_kafka!.StopAsync(CancellationToken.None), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Replicating_KafkaRefusesAtCommit_MemoryChannelListedFirstKeepsNothing()
    {
        var memory = new MemoryChannel("memory", new MemoryChannelSettings(100, 100, TimeSpan.Zero, 1L << 30));
        var processor = new ChannelProcessor(new ReplicatingSelector([memory, _kafka!], []), []);
        // Produce is API key 0; a non-retriable error fails the batch's records.
        fixture.Cluster.FailRequests(0, ErrorCode.InvalidRecord, 1);

        await Assert.ThrowsAsync<ChannelException>(() => Eventually.Within(processor.ProcessBatchAsync([Event.FromText("a"), Event.FromText("b")], default).AsTask()));

        Assert.Equal(0, memory.Counter.Size);
        await Eventually.Within(processor.ProcessBatchAsync([Event.FromText("c")], default).AsTask());
        Assert.Equal(1, memory.Counter.Size);
    }
}
