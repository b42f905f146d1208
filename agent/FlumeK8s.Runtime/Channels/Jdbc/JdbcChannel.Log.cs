using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Channels.Jdbc;

public sealed partial class JdbcChannel
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Jdbc channel {Channel} opened on {Database} with {Events} events left from before")]
    private static partial void LogOpened(ILogger logger, string channel, JdbcDatabase database, long events);

    [LoggerMessage(Level = LogLevel.Error, Message = "Jdbc channel {Channel} cannot start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jdbc channel {Channel}: {Expected} rows taken but {Found} found; the rest were deleted by an earlier take commit whose answer was lost")]
    private static partial void LogMissingRows(ILogger logger, string channel, int expected, int found);
}
