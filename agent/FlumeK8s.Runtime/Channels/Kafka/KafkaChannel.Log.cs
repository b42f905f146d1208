using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Channels.Kafka;

public sealed partial class KafkaChannel
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka channel {Channel}: assigned {Partitions}")]
    private static partial void LogAssigned(ILogger logger, string channel, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka channel {Channel}: partitions revoked or lost: {Partitions}; an open take will not commit them")]
    private static partial void LogPartitionsGone(ILogger logger, string channel, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka channel {Channel}: seeking back to {Position} failed: {Reason}")]
    private static partial void LogSeekFailed(ILogger logger, string channel, string position, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka channel {Channel}: record {Position} is not an Avro Flume event (parseAsFlumeEvent); taken with its raw value as the body")]
    internal static partial void LogNotFlumeEvent(ILogger logger, string channel, string position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka channel {Channel}: header {Header}='{Value}' is not a partition number; using the default partition")]
    internal static partial void LogBadPartitionHeader(ILogger logger, string channel, string header, string value);
}
