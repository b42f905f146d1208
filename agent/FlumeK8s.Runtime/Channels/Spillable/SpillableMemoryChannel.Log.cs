using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Channels.Spillable;

public sealed partial class SpillableMemoryChannel
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Spillable channel {Channel} started with {Events} events recovered from its overflow store")]
    private static partial void LogRecovered(ILogger logger, string channel, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spillable channel {Channel} stops with {Events} events in memory: they are not on disk and are lost when the process ends")]
    private static partial void LogMemoryLost(ILogger logger, string channel, int events);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spillable channel {Channel}: memory is full ({MemoryCapacity} events or byteCapacity), new events overflow to disk")]
    private static partial void LogOverflowStarted(ILogger logger, string channel, int memoryCapacity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spillable channel {Channel}: memory has room again, new events stay in memory")]
    private static partial void LogOverflowEnded(ILogger logger, string channel);
}
