using FlumeK8s.Runtime.Channels.Kafka;
using FlumeK8s.Runtime.Tests.Kafka;
using FlumeK8s.Runtime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlumeK8s.Runtime.Tests.Channels.Kafka;

/// <summary>Kafka channels on the mock cluster, configured the way an agent configuration would.</summary>
internal static class KafkaChannels
{
    public static KafkaChannel Create(KafkaClusterFixture fixture, string topic, params string[] properties)
    {
        var (context, problems) = TestPipeline.Context(
            [$"kafka.bootstrap.servers={fixture.Cluster.BootstrapServers}", $"kafka.topic={topic}",
             $"kafka.consumer.group.id=g-{Guid.NewGuid():N}", "kafka.consumer.fetch.wait.max.ms=10",
             "kafka.consumer.session.timeout.ms=6000", "kafka.consumer.max.poll.interval.ms=10000", .. properties]);
        var settings = KafkaChannelSettings.Read(context);
        Assert.False(problems.HasErrors, string.Join("; ", problems.Errors));
        return new KafkaChannel("c1", settings, TimeProvider.System, NullLoggerFactory.Instance);
    }
}
