using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sinks.Hdfs;

internal sealed partial class FileFinisher
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} finished {Path} ({Reason}, {Events} events, {Bytes} bytes)")]
    private static partial void LogClosed(ILogger logger, string sink, string path, string reason, long events, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} could not rename {Path} to its final name; its data is durable and the rename is retried")]
    private static partial void LogCloseFailed(ILogger logger, string sink, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} stopped writing {Path} after a failed write ({Error}); it is cut back to its {Bytes} acknowledged bytes and finished, and the batch stays in the channel")]
    private static partial void LogAbandoned(ILogger logger, string sink, string path, long bytes, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} finished {Path} as {Target}")]
    private static partial void LogFinished(ILogger logger, string sink, string path, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} could not finish {Path} yet; it will try again before the next batch")]
    private static partial void LogFinishFailed(ILogger logger, string sink, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink}: {Path}, to be finished, no longer exists")]
    private static partial void LogVanished(ILogger logger, string sink, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} cannot truncate {Path} on this file system")]
    private static partial void LogCannotTruncate(ILogger logger, string sink, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sink {Sink} moved {Path} to {Target}: only its first {Bytes} bytes are whole batches (all committed); the rest is part of a batch that is delivered again")]
    private static partial void LogDamaged(ILogger logger, string sink, string path, string target, long bytes);
}
