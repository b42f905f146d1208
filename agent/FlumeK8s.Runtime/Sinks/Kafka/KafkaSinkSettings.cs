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
            KafkaConnectionSettings.Read(context),
            context.GetString("kafka.topic", "default-flume-topic"),
            batchSize,
            context.GetBool("useFlumeEventFormat", false),
            context.GetBool("allowTopicOverride", true),
            context.GetString("topicHeader", "topic"),
            context.GetString("partitionIdHeader"),
            context.Contains("defaultPartitionId") ? context.GetInt("defaultPartitionId", 0, min: 0) : null);
    }
}
