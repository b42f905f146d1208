using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Kafka;

public sealed partial class KafkaSink
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka sink {Sink}: a batch of {Events} events failed and is rolled back: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, string sink, int events, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka sink {Sink}: header {Header}='{Value}' is not a partition number; using the default partition")]
    private static partial void LogBadPartitionHeader(ILogger logger, string sink, string header, string value);
}
