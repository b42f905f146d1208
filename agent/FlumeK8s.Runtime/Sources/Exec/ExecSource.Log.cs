using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Exec;

public sealed partial class ExecSource
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Exec source {Source} started '{Command}' (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string source, string command, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Exec source {Source} could not start '{Command}'")]
    private static partial void LogStartFailed(ILogger logger, string source, string command, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Exec source {Source} failed reading the output of '{Command}'")]
    private static partial void LogReadFailed(ILogger logger, string source, string command, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exec source {Source}: '{Command}' exited with code {ExitCode}")]
    private static partial void LogExited(ILogger logger, string source, string command, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exec source {Source} restarts '{Command}' in {DelayMs} ms")]
    private static partial void LogRestarting(ILogger logger, string source, string command, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exec source {Source}: '{Command}' ended and restart is off; the source stays idle")]
    private static partial void LogNotRestarting(ILogger logger, string source, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exec source {Source} stderr: {Line}")]
    private static partial void LogStdErr(ILogger logger, string source, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Exec source {Source} stopped with {Events} lines of the killed command undelivered: the channel refused them")]
    private static partial void LogLostOnStop(ILogger logger, string source, int events);
}
