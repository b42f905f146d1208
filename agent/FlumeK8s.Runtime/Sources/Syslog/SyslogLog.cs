using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Sources.Syslog;

/// <summary>The syslog sources' log messages.</summary>
internal static partial class SyslogLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Syslog source {Source} listening on {Protocol} {Endpoint}")]
    public static partial void Listening(ILogger logger, string source, string protocol, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog source {Source}: the channel refused {Events} events ({Reason}); holding the connection from {Client} and retrying")]
    public static partial void ChannelRefused(ILogger logger, string source, int events, string client, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Syslog source {Source}: the channel took the held events from {Client} after {Attempts} attempts")]
    public static partial void ChannelRecovered(ILogger logger, string source, string client, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog source {Source} stopped while holding {Events} events from {Client} that the channel had not taken; they are lost")]
    public static partial void StoppedHolding(ILogger logger, string source, int events, string client);

    [LoggerMessage(Level = LogLevel.Error, Message = "Syslog source {Source}: processing failed; closing the connection from {Client} and losing {Events} events")]
    public static partial void ProcessingFailed(ILogger logger, string source, string client, int events, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog source {Source}: reading from {Client} failed")]
    public static partial void ReadFailed(ILogger logger, string source, string client, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog source {Source}: accepting a connection failed")]
    public static partial void AcceptFailed(ILogger logger, string source, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog source {Source}: a datagram from {Client} was lost: the channel refused it ({Reason})")]
    public static partial void DatagramLost(ILogger logger, string source, string client, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Syslog source {Source}: a datagram from {Client} was lost: processing failed")]
    public static partial void DatagramFailed(ILogger logger, string source, string client, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Syslog source {Source}: message from {Client} marked {Status}")]
    public static partial void MarkedMessage(ILogger logger, string source, string client, string status);
}
