using FlumeK8s.Runtime.Channels;
using FlumeK8s.Runtime.Channels.Kafka;
using FlumeK8s.Runtime.Tests.Kafka;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Channels.Kafka;

/// <summary>The channel contract against a Kafka channel on a one-partition topic of the mock cluster (one partition: one order).</summary>
public sealed class KafkaChannelContractTests(KafkaClusterFixture fixture) : ChannelContractTests, IClassFixture<KafkaClusterFixture>, IAsyncLifetime
{
    private readonly List<KafkaChannel> _channels = [];

    protected override async Task<IChannel> CreateAsync(int capacity, int transactionCapacity)
    {
        var channel = KafkaChannels.Create(fixture, fixture.NewTopic(partitions: 1), $"transactionCapacity={transactionCapacity}");
        _channels.Add(channel);
        await Eventually.Within(channel.StartAsync(CancellationToken.None), TimeSpan.FromSeconds(30));
        return channel;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            await Eventually.Within(channel.StopAsync(CancellationToken.None), TimeSpan.FromSeconds(30));
        }
    }
}
