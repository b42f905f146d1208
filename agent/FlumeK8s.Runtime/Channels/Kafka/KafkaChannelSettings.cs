using FlumeK8s.Runtime.Configuration;
using FlumeK8s.Runtime.Kafka;

namespace FlumeK8s.Runtime.Channels.Kafka;

/// <summary>
/// The Kafka channel's properties, with Flume's names and defaults. <c>transactionCapacity</c> is
/// ours (Flume's Kafka channel has no limit): it bounds the batch sizes of the attached sources
/// and sinks like every other channel's.
/// </summary>
internal sealed record KafkaChannelSettings(
    KafkaConnectionSettings Connection,
    string Topic,
    bool ParseAsFlumeEvent,
    TimeSpan PollTimeout,
    string? PartitionIdHeader,
    int? DefaultPartitionId,
    int TransactionCapacity) : IChannelSettings
{
    public static KafkaChannelSettings Read(ComponentContext context)
    {
        var pollKey = context.Contains("pollTimeout") && !context.Contains("kafka.pollTimeout") ? "pollTimeout" : "kafka.pollTimeout";
        return new KafkaChannelSettings(
            KafkaConnectionSettings.Read(context, autoOffsetReset: "earliest"),
            context.GetString("kafka.topic", "flume-channel"),
            context.GetBool("parseAsFlumeEvent", true),
            TimeSpan.FromMilliseconds(context.GetInt(pollKey, 500, min: 0)),
            context.GetString("partitionIdHeader"),
            context.Contains("defaultPartitionId") ? context.GetInt("defaultPartitionId", 0, min: 0) : null,
            context.GetInt("transactionCapacity", 10000, min: 1));
    }
}
