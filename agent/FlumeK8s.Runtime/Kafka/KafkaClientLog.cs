using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Kafka;

/// <summary>librdkafka's own log lines and client errors, forwarded to the component's logger.</summary>
internal static partial class KafkaClientLog
{
    public static void Forward(ILogger logger, string component, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        LogClient(logger, level, component, message.Facility, message.Message);
    }

    /// <summary>Client-level errors: most are transient (a broker went away) and librdkafka recovers by itself.</summary>
    public static void Error(ILogger logger, string component, Error error)
    {
        if (error.IsFatal)
        {
            LogFatal(logger, component, error.Code, error.Reason);
        }
        else
        {
            LogTransient(logger, component, error.Code, error.Reason);
        }
    }

    [LoggerMessage(Message = "Kafka client of {Component} [{Facility}]: {Text}")]
    private static partial void LogClient(ILogger logger, LogLevel level, string component, string facility, string text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka client of {Component} failed fatally ({Code}): {Reason}; it will be recreated")]
    private static partial void LogFatal(ILogger logger, string component, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka client of {Component}: {Code} {Reason}")]
    private static partial void LogTransient(ILogger logger, string component, ErrorCode code, string reason);
}
