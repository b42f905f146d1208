using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.SpoolDir;

public sealed partial class SpoolDirSource
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Spooldir source {Source}: spool directory {Directory} does not exist; waiting for it")]
    private static partial void LogDirectoryMissing(ILogger logger, string source, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spooldir source {Source} reads {File}")]
    private static partial void LogOpened(ILogger logger, string source, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spooldir source {Source} resumes {File} at byte {Position}")]
    private static partial void LogResumed(ILogger logger, string source, string file, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spooldir source {Source} finished {File} ({Events} events): {Action}")]
    private static partial void LogFinished(ILogger logger, string source, string file, long events, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spooldir source {Source}: {Lines} lines of {File} were longer than {MaxLineLength} characters and were truncated")]
    private static partial void LogTruncated(ILogger logger, string source, string file, int lines, int maxLineLength);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooldir source {Source} cannot read {File}; skipping it until it changes")]
    private static partial void LogUnreadable(ILogger logger, string source, string file, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooldir source {Source} delivered all of {File} but cannot mark it done; setting it aside until it changes")]
    private static partial void LogCompleteFailed(ILogger logger, string source, string file, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooldir source {Source} failed scanning its directory; trying again")]
    private static partial void LogStepFailed(ILogger logger, string source, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spooldir source {Source}: position file {Path} is unusable; the file being read starts again from its beginning")]
    private static partial void LogPositionUnreadable(ILogger logger, string source, string path, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooldir source {Source} could not update its position file {Path}")]
    private static partial void LogPositionNotSaved(ILogger logger, string source, string path, Exception error);
}
