using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Kafka;

namespace FlumeK8s.Runtime.Sinks.Kafka;

/// <summary>The Kafka sink's properties, with Flume's names and defaults (acks excepted: all, for the idempotent producer).</summary>
internal sealed record KafkaSinkSettings(
    KafkaConnectionSettings Connection,
    string Topic,
    int BatchSize,
    bool UseFlumeEventFormat,
    bool AllowTopicOverride,
    string TopicHeader,
    string? PartitionIdHeader,
    int? DefaultPartitionId)
{
    public const string BatchSizeKey = "flumeBatchSize";
    public const string KeyHeader = "key";

    /// <summary>
    /// The sink waits for a whole batch's acknowledgements, so its records should share a few large
    /// requests (not one small request each, as with linger.ms 0) while requests still go out during
    /// a large batch; the batch's tail waits at most 1 ms. Flushing at the end of each batch instead
    /// holds every record until then and measured 2.4 times slower (bench/README.md). Only a delivery
    /// report's error is read, so the client does not unmarshal headers and timestamps back per record.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ProducerDefaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["linger.ms"] = "1",
        ["dotnet.producer.delivery.report.fields"] = "none",
    };

    public static KafkaSinkSettings Read(ComponentContext context)
    {
        var batchSize = context.GetInt(BatchSizeKey, 100, min: 1);
        if (!context.Contains(BatchSizeKey) && context.Contains("batchSize"))
        {
            // Flume's sink took batchSize before it was renamed to flumeBatchSize.
            batchSize = context.GetInt("batchSize", 100, min: 1);
            context.Warning("batchSize", "deprecated name: use flumeBatchSize");
        }
        return new KafkaSinkSettings(
            KafkaConnectionSettings.Read(context, producerDefaults: ProducerDefaults),
            context.GetString("kafka.topic", "default-flume-topic"),
            batchSize,
            context.GetBool("useFlumeEventFormat", false),
            context.GetBool("allowTopicOverride", true),
            context.GetString("topicHeader", "topic"),
            context.GetString("partitionIdHeader"),
            context.Contains("defaultPartitionId") ? context.GetInt("defaultPartitionId", 0, min: 0) : null);
    }
}
