using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

public sealed partial class HdfsSink
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink}: {Reason}")]
    private static partial void LogMissingTimestamp(ILogger logger, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink}: a timed close or recovery failed; it is retried with the next batch or on restart")]
    private static partial void LogMaintenanceFailed(ILogger logger, string sink, Exception error);
}
