using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Kafka;

public sealed partial class KafkaSource
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka source {Source}: assigned {Partitions}")]
    private static partial void LogAssigned(ILogger logger, string source, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka source {Source}: partitions {How}: {Partitions}; their unread batch records are left to the next owner")]
    private static partial void LogPartitionsGone(ILogger logger, string source, string how, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka source {Source}: committing offsets failed ({Code}: {Reason}); the batch is in the channel and may be read again")]
    private static partial void LogCommitFailed(ILogger logger, string source, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka source {Source}: reading failed ({Code}: {Reason}); retrying")]
    private static partial void LogReadFailed(ILogger logger, string source, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka source {Source}: record {Topic}/{Partition}@{Offset} is not an Avro Flume event (useFlumeEventFormat); delivered with its raw value as the body")]
    private static partial void LogNotFlumeEvent(ILogger logger, string source, string topic, int partition, long offset);
}
