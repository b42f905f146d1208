using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Taildir;

public sealed partial class TaildirSource
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Taildir source {Source} tails {File} (inode {Inode}) from byte {Position}")]
    private static partial void LogTracking(ILogger logger, string source, string file, ulong inode, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Taildir source {Source}: {OldPath} was renamed to {NewPath}")]
    private static partial void LogRenamed(ILogger logger, string source, string oldPath, string newPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Taildir source {Source}: {File} no longer matches (rotated or deleted); reading it to its end")]
    private static partial void LogRotatedAway(ILogger logger, string source, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Taildir source {Source} resumes rotated file {File} at byte {Position}")]
    private static partial void LogResumingRotated(ILogger logger, string source, string file, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Taildir source {Source} finished rotated file {File} at byte {Position}")]
    private static partial void LogFinishedRotated(ILogger logger, string source, string file, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Taildir source {Source}: {File} is gone (read up to byte {Position})")]
    private static partial void LogGone(ILogger logger, string source, string file, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taildir source {Source}: {File} shrank below byte {Position} to {Size} bytes (truncated); reading it from the start")]
    private static partial void LogTruncated(ILogger logger, string source, string file, long position, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taildir source {Source}: {File} ended with {Bytes} bytes without a newline; they were never a complete line")]
    private static partial void LogPartialLineDropped(ILogger logger, string source, string file, int bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Taildir source {Source} cannot read {File}; retrying")]
    private static partial void LogReadFailed(ILogger logger, string source, string file, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taildir source {Source} cannot look at {Path}")]
    private static partial void LogScanFailed(ILogger logger, string source, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taildir source {Source}: position file {Path} is unusable; starting without saved positions")]
    private static partial void LogPositionFileUnusable(ILogger logger, string source, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Taildir source {Source} could not write its position file {Path}")]
    private static partial void LogPositionFileNotWritten(ILogger logger, string source, string path, Exception error);
}
