using Microsoft.Extensions.Logging;

namespace FlumeK8s.Runtime.Topology;

public sealed partial class AgentHost
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Topology running: {Sources} sources, {Channels} channels, {Sinks} sinks")]
    private static partial void LogApplied(ILogger logger, int sources, int channels, int sinks);

    [LoggerMessage(Level = LogLevel.Error, Message = "The new topology failed to start; starting the previous one again")]
    private static partial void LogStartFailedRestoring(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} keeps its current settings until the agent restarts")]
    private static partial void LogSettingsKept(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reload drops channels that still hold events; their sinks deliver them first: {Channels}")]
    private static partial void LogDrainingRetiring(ILogger logger, string channels);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel} of the topology that failed to start closed with {Events} events its sinks could not deliver")]
    private static partial void LogChannelClosedWithEvents(ILogger logger, string channel, long events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reopening channel {Channel} from its files ({Reason}); its sources and sinks restart with it")]
    private static partial void LogReopening(ILogger logger, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown grace period ended with {Events} events still in channels")]
    private static partial void LogDrainIncomplete(ILogger logger, long events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: sources stopped until the drain is cancelled; sinks go on emptying the channels")]
    private static partial void LogDrainStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drain cancelled: {Sources} sources started again")]
    private static partial void LogDrainCancelled(ILogger logger, int sources);

    [LoggerMessage(Level = LogLevel.Information, Message = "The new topology's sources stay stopped: the agent is draining")]
    private static partial void LogSourcesHeld(ILogger logger);
}
