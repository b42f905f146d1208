using FlumeK8s.Runtime.Configuration;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>
/// What every Kafka component needs to reach its cluster: <c>kafka.bootstrap.servers</c> and the
/// <c>kafka.producer.*</c> / <c>kafka.consumer.*</c> pass-through properties (SASL and TLS among
/// them), turned into complete librdkafka configurations with this project's fixed rules: the
/// producer is idempotent with acks=all unless acks is lowered explicitly, and the consumer never
/// commits on its own, because offsets are committed only after the events are safe in a channel.
/// </summary>
internal sealed record KafkaConnectionSettings(string BootstrapServers, KafkaProperties Producer, KafkaProperties Consumer)
{
    public const string BootstrapServersKey = "kafka.bootstrap.servers";
    public const string ProducerPrefix = "kafka.producer.";
    public const string ConsumerPrefix = "kafka.consumer.";

    public string GroupId => Consumer["group.id"] ?? "flume";

    /// <param name="autoOffsetReset">Where a group without committed offsets starts; Flume's channel uses earliest, its source Kafka's default, latest.</param>
    /// <param name="producerDefaults">The component's own producer defaults; <c>kafka.producer.*</c> properties still win.</param>
    public static KafkaConnectionSettings Read(ComponentContext context, string autoOffsetReset = "latest", IReadOnlyDictionary<string, string>? producerDefaults = null)
    {
        var bootstrap = context.Require(BootstrapServersKey);
        var producerScope = context.Scope(ProducerPrefix);
        var producer = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["acks"] = "all",
            ["enable.idempotence"] = "true",
            // As Flume's Java producer: each record goes out as soon as it is produced.
            ["linger.ms"] = "0",
        };
        Merge(producer, producerDefaults ?? new Dictionary<string, string>());
        var configured = KafkaClientProperties.Read(producerScope);
        if (configured.TryGetValue("acks", out var acks) && acks is not ("all" or "-1") && !configured.ContainsKey("enable.idempotence"))
        {
            producerScope.Warning("acks", $"acks={acks} turns the idempotent producer off: a retried send may write a record twice");
            producer["enable.idempotence"] = "false";
        }
        Merge(producer, configured);
        producer["bootstrap.servers"] = bootstrap;

        var consumerScope = context.Scope(ConsumerPrefix);
        var consumer = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["group.id"] = "flume",
            ["auto.offset.reset"] = autoOffsetReset,
            ["enable.partition.eof"] = "false",
        };
        Merge(consumer, KafkaClientProperties.Read(consumerScope));
        if (consumer.TryGetValue("enable.auto.commit", out var autoCommit) && autoCommit != "false")
        {
            consumerScope.Warning("enable.auto.commit", "ignored: offsets are committed only after the events are committed to the channel");
        }
        if (context.Contains("migrateZookeeperOffsets"))
        {
            context.GetBool("migrateZookeeperOffsets", false);
            context.Warning("migrateZookeeperOffsets", "not supported: offsets are read only from Kafka; move ZooKeeper offsets with Kafka's own tools first");
        }
        consumer["enable.auto.commit"] = "false";
        consumer["enable.auto.offset.store"] = "false";
        consumer["bootstrap.servers"] = bootstrap;
        return new KafkaConnectionSettings(bootstrap, new KafkaProperties(producer), new KafkaProperties(consumer));
    }

    private static void Merge(Dictionary<string, string> target, IReadOnlyDictionary<string, string> source)
    {
        foreach (var (key, value) in source)
        {
            target[key] = value;
        }
    }
}
