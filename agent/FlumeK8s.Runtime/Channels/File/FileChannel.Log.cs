using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Channels.File;

public sealed partial class FileChannel
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "File channel {Channel} recovery: {Problem}")]
    private static partial void LogRecoveryProblem(ILogger logger, string channel, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "File channel {Channel} recovered {Events} events ({Source}, {Files} log files)")]
    private static partial void LogRecovered(ILogger logger, string channel, int events, string source, int files);

    [LoggerMessage(Level = LogLevel.Error, Message = "File channel {Channel}: checkpoint in {Directory} failed: {Reason}")]
    private static partial void LogCheckpointFailed(ILogger logger, string channel, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File channel {Channel}: could not delete log file {FileId}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string channel, int fileId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "File channel {Channel} refuses every put with its settings: {Reason}")]
    private static partial void LogPutsImpossible(ILogger logger, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "File channel {Channel} is unhealthy: {Reason}")]
    private static partial void LogUnhealthy(ILogger logger, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "File channel {Channel}: the event at log file {FileId} offset {Offset} cannot be read ({Reason}); it is dropped")]
    private static partial void LogUnreadableEvent(ILogger logger, string channel, int fileId, long offset, string reason);
}
