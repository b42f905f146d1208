namespace FlumeK8s.Runtime.Tests.Kafka;

/// <summary>One mock cluster shared by the tests of a class; each test uses its own topics and groups.</summary>
public sealed class KafkaClusterFixture : IDisposable
{
    public KafkaMockCluster Cluster { get; } = new();

    public string NewTopic(int partitions = 3)
    {
        var topic = "t-" + Guid.NewGuid().ToString("N")[..12];
        Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    public void Dispose() => Cluster.Dispose();
}
